using System.Collections.Concurrent;
using System.Net;

namespace Orleans.Gan.Tests.Shared;

/// <summary>
/// A local HTTP server for download tests, on a free loopback port, serving the files it is given under paths that
/// behave as real mirrors misbehave: <c>/good/NAME</c> (with Range requests), <c>/missing/</c> (404), <c>/broken/</c>
/// (503), <c>/html/</c> (a 200 HTML page), <c>/silent/</c> (never answers), <c>/cut/NAME</c> (half the body, then the
/// connection drops) and <c>/chunked/NAME</c> (no Content-Length). It records each request's path and Range.
/// </summary>
internal sealed class FileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, byte[]> files;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task serving;

    public FileServer(Dictionary<string, byte[]> files)
    {
        this.files = files;
        int port;
        while (true)
        {
            port = Random.Shared.Next(20_000, 60_000);
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException)
            {
                // Taken; try another.
            }
        }
        Url = $"http://127.0.0.1:{port}";
        serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Each request as "PATH" or "PATH range=bytes=N-".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        stopping.Cancel();
        listener.Close();
        try
        {
            serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var range = context.Request.Headers["Range"];
        Requests.Enqueue(range is null ? path : $"{path} range={range}");
        var response = context.Response;
        string[] parts = path.Trim('/').Split('/');
        string behaviour = parts[0], name = parts.Length > 1 ? parts[1] : "";
        try
        {
            switch (behaviour)
            {
                case "missing":
                    response.StatusCode = 404;
                    response.Close();
                    return;
                case "broken":
                    response.StatusCode = 503;
                    response.Close();
                    return;
                case "html":
                    response.ContentType = "text/html; charset=utf-8";
                    await Write(response, "<!DOCTYPE html><html><body>Google Drive - Quota exceeded</body></html>"u8.ToArray());
                    return;
                case "silent":
                    await Task.Delay(Timeout.Infinite, stopping.Token);
                    return;
            }
            if (!files.TryGetValue(name, out var body))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            long from = range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].TrimEnd('-')) : 0;
            if (from >= body.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }
            response.ContentType = "application/octet-stream";
            if (from > 0)
            {
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{body.Length - 1}/{body.Length}";
            }
            var rest = body.AsMemory((int)from);
            switch (behaviour)
            {
                case "cut":
                    response.ContentLength64 = rest.Length;
                    await response.OutputStream.WriteAsync(rest[..(rest.Length / 2)]);
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    return;
                case "chunked":
                    response.SendChunked = true;
                    await response.OutputStream.WriteAsync(rest);
                    response.Close();
                    return;
                default:
                    await Write(response, rest.ToArray());
                    return;
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client went away, or the server is stopping.
        }
    }

    private static async Task Write(HttpListenerResponse response, byte[] body)
    {
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
