using System.Text.Json;

namespace Orleans.Gan.Tests.Shared;

/// <summary>
/// What TensorBoard would read of a folder of event files, as <c>tests/tensorboard/read_events.py</c> decodes it with
/// TensorBoard's own message definitions and none of our code: each file's version event, each scalar and each image.
/// </summary>
internal sealed record TensorBoardEvent(
    string File, long Step, double WallTime, string? FileVersion, string? Tag, float? Value,
    int? Width, int? Height, int? PngWidth, int? PngHeight, int? PngBytes)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<TensorBoardEvent> Read(string folder) =>
        [.. DebianPython.Run(Path.Combine(RepositoryRoot.Path, "tests", "tensorboard", "read_events.py"), [folder], TimeSpan.FromMinutes(2),
                ("google.protobuf", "python3-protobuf"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<TensorBoardEvent>(line, Json)!)];
}
