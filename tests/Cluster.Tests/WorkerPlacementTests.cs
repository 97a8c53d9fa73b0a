using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Training;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>
/// Where workers go when silos come and go: as few moves as possible, never two slots more than one apart, GPUs before
/// CPUs. Silos named alone ("a") offer one CPU slot, as a silo with the default --cpu-slots does.
/// </summary>
public sealed class WorkerPlacementTests
{
    [Fact]
    public void From_nothing_the_workers_are_dealt_round_robin_over_the_silos_in_name_order()
    {
        Assert.Equal(Cpus("a", "b", "c", "a"), WorkerPlacement.Balance([null, null, null, null], Cpus("c", "a", "b")));
    }

    [Fact]
    public void A_lost_silos_workers_go_to_the_least_loaded_survivors_and_no_other_worker_moves()
    {
        Assert.Equal(Cpus("a", "b", "b", "a"), WorkerPlacement.Balance(Cpus("a", "b", "c", "a"), Cpus("a", "b")));
        Assert.Equal(Cpus("a", "a", "a"), WorkerPlacement.Balance(Cpus("a", "b", "b"), Cpus("a")));
    }

    [Fact]
    public void A_silo_that_joins_takes_workers_from_the_most_loaded_until_balanced()
    {
        Assert.Equal(Cpus("a", "b", "b", "c"), WorkerPlacement.Balance(Cpus("a", "b", "b", "a"), Cpus("a", "b", "c")));
        Assert.Equal(Cpus("a", "a", "b", "b"), WorkerPlacement.Balance(Cpus("a", "a", "a", "a"), Cpus("a", "b")));
    }

    [Fact]
    public void A_balanced_placement_is_left_as_it_is()
    {
        var placed = Cpus("b", "a", "a", "b");
        Assert.Equal(placed, WorkerPlacement.Balance(placed, Cpus("a", "b")));
    }

    [Fact]
    public void Workers_fill_the_GPUs_silo_by_silo_before_a_CPU_and_share_slots_only_when_every_slot_has_one()
    {
        WorkerSlot[] slots = [Cpu("a"), Gpu("c", 0), Gpu("b", 1), Gpu("b", 0)];
        Assert.Equal([Gpu("b", 0), Gpu("b", 1), Gpu("c", 0)], WorkerPlacement.Balance(new WorkerSlot?[3], slots));
        Assert.Equal([Gpu("b", 0), Gpu("b", 1), Gpu("c", 0), Cpu("a"), Gpu("b", 0)], WorkerPlacement.Balance(new WorkerSlot?[5], slots));
    }

    [Fact]
    public void A_silo_with_several_CPU_slots_takes_a_worker_in_each()
    {
        Assert.Equal([Cpu("a", 0), Cpu("a", 1), Cpu("b", 0)], WorkerPlacement.Balance(new WorkerSlot?[3], [Cpu("a", 0), Cpu("a", 1), Cpu("b", 0)]));
    }

    [Fact]
    public void A_lost_GPU_silos_workers_go_to_free_GPUs_first_and_no_other_worker_moves()
    {
        WorkerSlot?[] placed = [Gpu("a", 0), Gpu("b", 0), Gpu("b", 1)];
        Assert.Equal([Gpu("a", 0), Gpu("a", 1), Gpu("c", 0)], WorkerPlacement.Balance(placed, [Gpu("a", 0), Gpu("a", 1), Gpu("c", 0)]));
        Assert.Equal([Gpu("a", 0), Gpu("a", 1), Cpu("c")], WorkerPlacement.Balance(placed, [Gpu("a", 0), Gpu("a", 1), Cpu("c")]));
    }

    [Fact]
    public void Workers_waiting_on_a_CPU_move_to_a_GPU_silo_that_joins()
    {
        WorkerSlot?[] placed = [Cpu("a"), Cpu("a")];
        Assert.Equal([Gpu("b", 1), Gpu("b", 0)], WorkerPlacement.Balance(placed, [Cpu("a"), Gpu("b", 0), Gpu("b", 1)]));
    }

    [Fact]
    public void A_silo_restarted_with_other_devices_has_its_workers_dealt_again()
    {
        WorkerSlot?[] placed = [Gpu("a", 0), Gpu("a", 1)];
        Assert.Equal([Cpu("a"), Cpu("a")], WorkerPlacement.Balance(placed, [Cpu("a")]));
    }

    [Fact]
    public void No_silo_is_an_error_that_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkerPlacement.Balance(Cpus("a"), []));
        Assert.Contains("No active silo", error.Message);
    }

    private static WorkerSlot Cpu(string silo, int index = 0) => new(silo, index, "cpu");

    private static WorkerSlot Gpu(string silo, int index) => new(silo, index, $"cuda:{index}");

    private static WorkerSlot[] Cpus(params string[] silos) => silos.Select(s => Cpu(s)).ToArray();
}
