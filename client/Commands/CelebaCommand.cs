using System.CommandLine;
using System.Globalization;
using Orleans.Gan.Data.Download;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary>
/// <c>client dataset celeba</c>: the tutorial's first step, CelebA's aligned faces (zip) and partition list downloaded
/// into a folder the silos then train from, each checked against torchvision's MD5 before it takes its name.
/// </summary>
internal sealed class CelebaCommand
{
    private readonly Option<string> output = new("--out")
    {
        Description = "The folder to download into; created if missing. Train with --dataset DIR/img_align_celeba.zip.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string[]> sources = new("--source")
    {
        Description = "A mirror: a base URL that serves img_align_celeba.zip and list_eval_partition.txt. Repeatable; "
            + "mirrors are tried in order, before Google Drive, where torchvision fetches CelebA from.",
        HelpName = "URL",
    };

    private readonly Option<bool> mirrorsOnly = new("--mirrors-only")
    {
        Description = "Try only the --source mirrors, not Google Drive: for machines that reach a mirror of their own and nothing else.",
    };

    private readonly Option<int> timeout = new Option<int>("--timeout")
    {
        Description = "Seconds a source may send nothing before the next one is tried.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 30,
    }.InRange(1, 3600);

    public Command Build()
    {
        var command = new Command("celeba", "Download CelebA (img_align_celeba.zip, 1.4 GB, and list_eval_partition.txt) as "
            + "torchvision does, checking their MD5 sums. A cut download resumes; a file already there is kept.")
        {
            output, sources, mirrorsOnly, timeout,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(mirrorsOnly) && (result.GetValue(sources) ?? []).Length == 0)
                result.AddError("--mirrors-only needs at least one --source.");
            foreach (var url in result.GetValue(sources) ?? [])
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                    result.AddError($"--source must be an http or https URL, not '{url}'.");
            }
        });
        command.SetAction(DownloadAsync);
        return command;
    }

    private async Task<int> DownloadAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        string folder = Path.GetFullPath(parseResult.GetRequiredValue(output));
        var mirrors = (parseResult.GetValue(sources) ?? []).Select(url => new Uri(url)).ToList();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var download = new VerifiedDownload(http, TimeSpan.FromSeconds(parseResult.GetValue(timeout)));
        try
        {
            foreach (var (file, driveId) in CelebaFiles.All)
            {
                var from = CelebaFiles.Sources(file, driveId, mirrors, withDrive: !parseResult.GetValue(mirrorsOnly));
                var source = await WithProgressAsync(file.Name, progress => download.FetchAsync(file, folder, from, progress, cancellationToken));
                Console.WriteLine(source is null
                    ? $"{Path.Combine(folder, file.Name)}: already there, MD5 {file.Md5}"
                    : $"{Path.Combine(folder, file.Name)}: from {source}, MD5 {file.Md5}");
            }
        }
        catch (DownloadException e)
        {
            ConsoleMessages.Error(e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ConsoleMessages.Error($"Cannot write to --out '{folder}': {e.Message}");
            return ExitCodes.Failure;
        }
        Console.WriteLine($"Train on it with: client train --dataset {Path.Combine(folder, "img_align_celeba.zip")}");
        return ExitCodes.Success;
    }

    /// <summary>A progress bar with bytes and rate in a terminal; elsewhere a line per tenth of the file.</summary>
    private static async Task<T> WithProgressAsync<T>(string name, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        if (!TrainingProgressView.IsInteractive)
        {
            int reportedTenths = -1;
            return await work(new SynchronousProgress(p =>
            {
                int tenths = p.Total is long total && total > 0 ? (int)(10 * p.Bytes / total) : -1;
                if (tenths > reportedTenths)
                {
                    reportedTenths = tenths;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {p.Bytes / 1e6:0.0} of {p.Total / 1e6:0.0} MB"));
                }
            }));
        }
        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(name, autoStart: true);
                task.IsIndeterminate = true;
                return await work(new SynchronousProgress(p =>
                {
                    if (p.Total is long total)
                        (task.IsIndeterminate, task.MaxValue) = (false, total);
                    task.Value = p.Bytes;
                }));
            });
    }

    /// <summary>Reports on the downloading thread: <see cref="Progress{T}"/> would post to a thread-pool thread, out of order.</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
