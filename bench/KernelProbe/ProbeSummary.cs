using System.Globalization;
using System.Text;

namespace Orleans.Gan.KernelProbe;

/// <summary>One configuration's probes in a few lines: how often each pass and the whole step gave NaN, and with which kernels.</summary>
internal static class ProbeSummary
{
    public static string Describe(string isa, int threads, IReadOnlyList<ProbeRun> probes)
    {
        var text = new StringBuilder();
        var finished = probes.Where(p => p.Failure is null).ToList();
        int stepNan = finished.Count(p => p.StepNan);
        var finiteResults = finished.Where(p => !p.StepNan).Select(p => p.Losses).Distinct().Count();
        var median = finished.Select(p => p.StepMilliseconds).Order().ElementAtOrDefault(finished.Count / 2);
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"ONEDNN_MAX_CPU_ISA={isa}, {threads} thread(s): whole steps NaN in {stepNan} of {finished.Count} runs; "
            + $"{finiteResults} distinct finite result(s); median step {median:0} ms"));
        foreach (var first in finished.Where(p => p.FirstNan is not null).GroupBy(p => p.FirstNan))
            text.AppendLine($"  NaN first in {first.Count()} run(s) at {first.Key}");
        foreach (var failed in probes.Where(p => p.Failure is not null).Select(p => p.Failure).Distinct())
            text.AppendLine($"  probe failed: {failed}");
        foreach (var pass in finished.SelectMany(p => p.Passes).GroupBy(p => (p.Layer, p.Pass)))
        {
            int nan = pass.Count(p => p.Nan);
            var kernels = string.Join(" | ", pass.SelectMany(p => p.Kernels).Distinct());
            text.AppendLine($"  {pass.Key.Layer,-34} {pass.Key.Pass,-17} NaN {nan,2}/{pass.Count(),-2} {kernels}");
        }
        return text.ToString();
    }
}
