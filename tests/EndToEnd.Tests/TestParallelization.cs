// Every test here starts silo processes that train with torch. Two such clusters at once on a small machine slow
// each other past the step deadline and the membership timeouts, and the tests fail for want of CPU, not for a bug.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
