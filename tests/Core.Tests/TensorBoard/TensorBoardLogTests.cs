using Orleans.Gan.Core.Imaging;
using Orleans.Gan.Core.TensorBoard;
using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Tests.Shared;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.TensorBoard;

/// <summary>
/// Our event files as TensorBoard reads them, decoded by an independent reader built from TensorBoard's own .proto
/// files (<see cref="TensorBoardEvent"/>): framing and both CRCs, scalars, images, and one curve across writers.
/// </summary>
public sealed class TensorBoardLogTests
{
    [Fact]
    public void Scalars_and_a_grid_read_back_with_their_steps_values_and_the_PNGs_size()
    {
        using var folder = new TempFolder();
        var png = Grid(faces: 6);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        using (var log = TensorBoardLog.Open(folder.Path))
        {
            for (long step = 1; step <= 3; step++)
                log.Scalars(step, [("train/Loss_D", 1.0 / step), ("train/Loss_G", 0.1 * step)]);
            log.Image(3, "samples/G_ema", png);
        }

        var events = TensorBoardEvent.Read(folder.Path);
        var version = Assert.Single(events, e => e.FileVersion is not null);
        Assert.Equal("brain.Event:2", version.FileVersion);
        // Seconds since 1970, as TensorBoard reads wall_time, not .NET ticks.
        Assert.InRange(version.WallTime, before - 1, before + 60);
        Assert.Equal([(1L, 1f), (2L, 0.5f), (3L, (float)(1.0 / 3))], Scalars(events, "train/Loss_D"));
        Assert.Equal([(1L, 0.1f), (2L, 0.2f), (3L, (float)0.3)], Scalars(events, "train/Loss_G"));
        var image = Assert.Single(events, e => e.Tag == "samples/G_ema");
        // 6 faces of 16 px, 8 to a row with 2 px between and around them.
        Assert.Equal((3L, 6 * 18 + 2, 18 + 2), (image.Step, image.Width!.Value, image.Height!.Value));
        Assert.Equal((image.Width, image.Height, png.Length), (image.PngWidth, image.PngHeight, image.PngBytes));
    }

    [Fact]
    public void A_writer_that_takes_the_run_over_appends_a_file_of_its_own_without_any_tags_steps_twice()
    {
        using var folder = new TempFolder();
        using (var first = TensorBoardLog.Open(folder.Path))
        {
            for (long step = 1; step <= 5; step++)
                first.Scalars(step, [("train/Loss_D", step)]);
            first.Image(4, "samples/G_ema", Grid(faces: 2));
        }

        // Gone back to step 2 (a checkpoint), the next writer takes steps 3 to 8 again.
        using (var second = TensorBoardLog.Open(folder.Path))
        {
            Assert.Equal(5, second.WrittenThrough("train/Loss_D"));
            for (long step = 3; step <= 8; step++)
            {
                second.Scalars(step, [("train/Loss_D", step)]);
                second.Image(step, "samples/G_ema", Grid(faces: 2));
            }
        }

        var events = TensorBoardEvent.Read(folder.Path);
        Assert.Equal(2, events.Count(e => e.FileVersion is not null));
        Assert.Equal(Enumerable.Range(1, 8).Select(s => ((long)s, (float)s)), Scalars(events, "train/Loss_D"));
        Assert.Equal([4L, 5, 6, 7, 8], events.Where(e => e.Tag == "samples/G_ema").Select(e => e.Step));
    }

    [Fact]
    public void A_record_cut_short_by_a_killed_writer_ends_its_file_and_the_next_writer_writes_that_step()
    {
        using var folder = new TempFolder();
        string path;
        using (var killed = TensorBoardLog.Open(folder.Path))
        {
            for (long step = 1; step <= 3; step++)
                killed.Scalars(step, [("train/Loss_D", step)]);
            path = killed.Path;
        }
        using (var file = new FileStream(path, FileMode.Open))
            file.SetLength(file.Length - 3);

        using (var next = TensorBoardLog.Open(folder.Path))
        {
            Assert.Equal(2, next.WrittenThrough("train/Loss_D"));
            next.Scalars(3, [("train/Loss_D", 3)]);
        }

        Assert.Equal([(1L, 1f), (2L, 2f), (3L, 3f)], Scalars(TensorBoardEvent.Read(folder.Path), "train/Loss_D"));
    }

    [Fact]
    public void A_folder_that_cannot_be_made_is_refused_with_the_IO_error()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("a-file");
        File.WriteAllText(file, "");
        Assert.ThrowsAny<IOException>(() => TensorBoardLog.Open(Path.Combine(file, "tensorboard")));
    }

    private static IEnumerable<(long Step, float Value)> Scalars(IEnumerable<TensorBoardEvent> events, string tag) =>
        events.Where(e => e.Tag == tag).Select(e => (e.Step, e.Value!.Value));

    private static byte[] Grid(int faces)
    {
        using var images = rand(faces, 3, 16, 16) * 2 - 1;
        return FaceGrid.ToPng(images);
    }
}
