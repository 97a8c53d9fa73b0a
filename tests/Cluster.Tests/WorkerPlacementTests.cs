using Orleans.Gan.Grains.Training;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>Where workers go when silos come and go: as few moves as possible, never two silos more than one apart.</summary>
public sealed class WorkerPlacementTests
{
    [Fact]
    public void From_nothing_the_workers_are_dealt_round_robin_over_the_silos_in_name_order()
    {
        Assert.Equal(["a", "b", "c", "a"], WorkerPlacement.Balance([null, null, null, null], ["c", "a", "b"]));
    }

    [Fact]
    public void A_lost_silos_workers_go_to_the_least_loaded_survivors_and_no_other_worker_moves()
    {
        Assert.Equal(["a", "b", "b", "a"], WorkerPlacement.Balance(["a", "b", "c", "a"], ["a", "b"]));
        Assert.Equal(["a", "a", "a"], WorkerPlacement.Balance(["a", "b", "b"], ["a"]));
    }

    [Fact]
    public void A_silo_that_joins_takes_workers_from_the_most_loaded_until_balanced()
    {
        Assert.Equal(["a", "b", "b", "c"], WorkerPlacement.Balance(["a", "b", "b", "a"], ["a", "b", "c"]));
        Assert.Equal(["a", "a", "b", "b"], WorkerPlacement.Balance(["a", "a", "a", "a"], ["a", "b"]));
    }

    [Fact]
    public void A_balanced_placement_is_left_as_it_is()
    {
        string?[] placed = ["b", "a", "a", "b"];
        Assert.Equal(placed, WorkerPlacement.Balance(placed, ["a", "b"]));
    }

    [Fact]
    public void No_silo_is_an_error_that_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkerPlacement.Balance(["a"], []));
        Assert.Contains("No active silo", error.Message);
    }
}
