namespace Orleans.Gan.EndToEnd.Tests.Observability;

/// <summary>
/// Debian's Chromium, headless, with the network features that call Google turned off (this machine has no
/// internet and refuses them), and virtual time so the page's scripts and image loads finish before it is read.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The DOM after the page has run its scripts for <paramref name="budget"/> of virtual time.</summary>
    public static async Task<string> DumpDomAsync(string url, string work, TimeSpan budget)
    {
        var (exitCode, output) = await ChildProcess.Run(Binary, [.. Flags(work, budget), "--dump-dom", url], work, Timeout);
        return exitCode == 0 ? output : throw new InvalidOperationException($"chromium --dump-dom exited with {exitCode}:\n{output}");
    }

    public static async Task ScreenshotAsync(string url, string path, string work, TimeSpan budget)
    {
        var (exitCode, output) = await ChildProcess.Run(Binary,
            [.. Flags(work, budget), "--window-size=1300,900", $"--screenshot={path}", url], work, Timeout);
        if (exitCode != 0 || !File.Exists(path))
            throw new InvalidOperationException($"chromium --screenshot exited with {exitCode} and wrote no {path}:\n{output}");
    }

    private static string Binary => InstalledTool.Require("/usr/bin/chromium", "chromium");

    private static string[] Flags(string work, TimeSpan budget) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(work, "chromium-" + Guid.NewGuid().ToString("N"))}",
        $"--virtual-time-budget={(int)budget.TotalMilliseconds}",
    ];
}
