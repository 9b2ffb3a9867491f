using System.Threading.Channels;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// Called when a job ends. Never blocks and never throws for delivery problems: it queues the notification for
/// <see cref="CallbackDispatcher"/>. It throws ArgumentException only for a malformed notification (a caller bug).
/// </summary>
internal sealed class CallbackNotifier(ILogger<CallbackNotifier> logger)
{
    // Bounded so a flood of jobs aimed at a dead receiver cannot grow memory without limit; at ~1 KB per entry
    // this is ~10 MB. DropOldest keeps the newest signals, whose clients are most likely still waiting.
    public const int Capacity = 10_000;

    private readonly Channel<CallbackNotification> channel = Channel.CreateBounded<CallbackNotification>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest },
        dropped => CallbacksLog.QueueFull(logger, Capacity, dropped.JobId));

    // The callback extension's three statuses: the job states that end a job a client is still waiting for.
    private static readonly string[] Statuses = [JobState.Completed.ToWire(), JobState.Failed.ToWire(), JobState.Cancelled.ToWire()];

    internal ChannelReader<CallbackNotification> Reader => channel.Reader;

    public void Notify(CallbackNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentException.ThrowIfNullOrEmpty(notification.JobId, nameof(notification));
        ArgumentException.ThrowIfNullOrEmpty(notification.CallbackUrl, nameof(notification));
        ArgumentException.ThrowIfNullOrEmpty(notification.ResultUrl, nameof(notification));
        if (!Statuses.Contains(notification.Status))
        {
            throw new ArgumentException($"A callback status is one of {string.Join(", ", Statuses)}, not '{notification.Status}'.", nameof(notification));
        }

        if (channel.Writer.TryWrite(notification))
        {
            CallbacksLog.Queued(logger, notification.JobId);
        }
        else
        {
            CallbacksLog.NotQueued(logger, notification.JobId);
        }
    }

    /// <summary>Stops accepting notifications and discards the queued ones; returns how many were discarded.</summary>
    internal int Close()
    {
        channel.Writer.TryComplete();
        var discarded = 0;
        while (channel.Reader.TryRead(out _))
        {
            discarded++;
        }
        return discarded;
    }
}
