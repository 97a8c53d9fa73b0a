using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Orleans.Gan.Data.Download;

/// <summary>
/// Fetches a file from the first of several sources that serves it whole and with the publisher's MD5, into
/// <c>NAME.part</c>, resuming a cut download with an HTTP Range request, and renames it to its name only once the sum
/// matches. A source that answers 404 or 5xx, an HTML page instead of the file, nothing within the idle timeout, or a
/// body with the wrong sum is named with why, and the next is tried; a wrong body is kept as <c>NAME.bad</c>. A full
/// disk stops everything, keeping the <c>.part</c> to resume from. A file already there with the right sum is kept.
/// </summary>
public sealed class VerifiedDownload(HttpClient http, TimeSpan idleTimeout)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Returns the source it came from, or null when the file was already there.</summary>
    /// <exception cref="DownloadException">Every source failed, or the disk is full; says why for each.</exception>
    public async Task<Uri?> FetchAsync(ExpectedFile file, string folder, IReadOnlyList<Uri> sources, IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        string target = Path.Combine(folder, file.Name), part = target + ".part", bad = target + ".bad";
        if (File.Exists(target))
        {
            string existing = await Md5Async(target, cancellationToken);
            if (existing == file.Md5)
                return null;
            File.Move(target, bad, overwrite: true);
        }

        var failures = new List<string>();
        foreach (var source in sources)
        {
            string? failure = await TryAsync(file, source, part, progress, cancellationToken);
            if (failure is null)
            {
                string actual = await Md5Async(part, cancellationToken);
                if (actual == file.Md5)
                {
                    File.Move(part, target, overwrite: false);
                    return source;
                }
                File.Move(part, bad, overwrite: true);
                failure = $"MD5 {actual}, not the published {file.Md5}; kept as {bad}";
            }
            failures.Add($"{source}: {failure}");
        }
        throw new DownloadException(file.Name, failures);
    }

    /// <summary>One source: null when the whole body is in <paramref name="part"/>, else why not.</summary>
    private async Task<string?> TryAsync(ExpectedFile file, Uri source, string part, IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, source);
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e is OperationCanceledException ? $"no answer within {idleTimeout.TotalSeconds:0} s" : e.Message;
        }
        using (response)
        {
            // The part is already whole: the server has no bytes past it.
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
                return null;
            if (!response.IsSuccessStatusCode)
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            if (response.Content.Headers.ContentType?.MediaType is "text/html")
                return $"an HTML page instead of {file.Name} (a quota, sign-in or error page)";
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
            if (!resumed)
                have = 0;
            long? total = response.Content.Headers.ContentLength is long length ? have + length : null;
            if (total is long needed && FreeBytes(Path.GetDirectoryName(Path.GetFullPath(part))!) is long free && needed - have > free)
                throw new DownloadException(file.Name, [$"the disk holding {Path.GetDirectoryName(Path.GetFullPath(part))} has {free:N0} bytes free, {needed - have:N0} are needed; free some space and run again"]);
            return await CopyAsync(file, response, part, have, total, progress, idle, cancellationToken);
        }
    }

    private async Task<string?> CopyAsync(ExpectedFile file, HttpResponseMessage response, string part, long have, long? total,
        IProgress<DownloadProgress>? progress, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long written = have;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
            await using var output = new FileStream(part, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            bool first = have == 0;
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                int read = await body.ReadAsync(buffer, idle.Token);
                if (read == 0)
                    break;
                if (first && file.IsZip && !(read >= 4 && buffer[0] == 0x50 && buffer[1] == 0x4B && buffer[2] == 0x03 && buffer[3] == 0x04))
                    return $"the body does not start as a zip file does, so it is not {file.Name}";
                first = false;
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
                progress?.Report(new DownloadProgress(file.Name, written, total));
            }
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new DownloadException(file.Name, [$"the disk holding {Path.GetDirectoryName(Path.GetFullPath(part))} is full after {written:N0} bytes; {part} is kept, free some space and run again to resume"]);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            string why = e is OperationCanceledException ? $"nothing arrived for {idleTimeout.TotalSeconds:0} s" : e.Message;
            return $"{why} after {written:N0} bytes; {part} is kept, and the next try resumes from there";
        }
        return total is long expected && written != expected
            ? $"the connection ended after {written:N0} of {expected:N0} bytes; {part} is kept, and the next try resumes from there"
            : null;
    }

    private static async Task<string> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Free bytes on the file system of <paramref name="folder"/> (statvfs on Linux), where it can be told.</summary>
    private static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // ENOSPC, as .NET reports it on Linux (errno 28) and Windows (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL).
    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 112 or 39;
}
