using Orleans.Gan.Core.Runtime;

namespace Orleans.Gan.Core.Tests.Runtime;

/// <summary>The worker slots a silo offers for each --device, and the errors a user sees when the GPUs asked for are not there.</summary>
public sealed class DeviceSlotsTests
{
    [Theory]
    [InlineData("auto", 1, 0, "cpu")]
    [InlineData("auto", 3, 0, "cpu,cpu,cpu")]
    [InlineData("auto", 1, 2, "cuda:0,cuda:1")]
    [InlineData("cuda", 1, 4, "cuda:0,cuda:1,cuda:2,cuda:3")]
    [InlineData("cuda:1", 1, 2, "cuda:1")]
    [InlineData("cpu", 2, 8, "cpu,cpu")]
    public void Each_device_choice_gives_one_slot_per_GPU_or_the_CPU_slots_asked_for(string device, int cpuSlots, int gpus, string expected)
    {
        Assert.Equal(expected.Split(','), DeviceSlots.Resolve(device, cpuSlots, gpus));
    }

    [Theory]
    [InlineData("cuda", 0, "torch sees no GPU")]
    [InlineData("cuda:0", 0, "torch sees no GPU")]
    [InlineData("cuda:2", 2, "torch sees 2 GPU(s): cuda:0 to cuda:1")]
    public void Asking_for_GPUs_that_are_not_there_names_the_flag_and_what_is_there(string device, int gpus, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSlots.Resolve(device, 1, gpus));
        Assert.StartsWith($"--device {device} was asked for", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:one")]
    [InlineData("CPU")]
    public void A_device_that_is_not_one_of_the_choices_is_refused_before_torch_is_asked(string device)
    {
        Assert.Equal($"--device must be auto, cpu, cuda or cuda:N (N a GPU number from 0), not '{device}'.", DeviceSlots.Validate(device));
        Assert.Throws<ArgumentException>(() => DeviceSlots.Resolve(device, 1, 1));
    }

    [Fact]
    public void Fewer_than_one_CPU_slot_is_refused()
    {
        Assert.Contains("--cpu-slots", Assert.Throws<ArgumentException>(() => DeviceSlots.Resolve("cpu", 0, 0)).Message);
    }
}
