using System.Globalization;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Web.Features.Churn;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>
/// The churn events FeedbackHub would hold for one customer had it watched the whole demo history:
/// ingest opening a cancellation as it arrives and closing events as orders come in, and
/// <see cref="ChurnDetector"/> running every night at 02:00 UTC and once more at the end. The detector's
/// rules are replayed over the customer's own timeline in memory, because running the real detector
/// for every night of 18 months over a million customers would take hours. DemoDataTests checks the
/// result: the real detector run over the seeded data finds nothing to open or close.
/// </summary>
internal static class DemoChurn
{
    private static readonly TimeSpan NightlyRun = TimeSpan.FromHours(2);

    /// <summary>Fills <see cref="DemoCustomer.ChurnEvents"/>; the customer's orders and subscription events must be in time order.</summary>
    public static void Replay(DemoCustomer demo, ChurnOptions rules, DateTimeOffset end)
    {
        var customer = demo.Customer;
        var timeline = customer.Orders.Select(o => (At: o.PlacedAt, Change: (SubscriptionEvent?)null))
            .Concat(customer.SubscriptionEvents.Select(e => (At: e.OccurredAt, Change: (SubscriptionEvent?)e)))
            .OrderBy(a => a.At)
            .ToList();
        var state = new State(demo, rules, end);
        var after = DateTimeOffset.MinValue;
        foreach (var (at, change) in timeline)
        {
            state.RunNightsBetween(after, at);
            if (change is null)
            {
                state.Ordered(at);
            }
            else
            {
                state.Changed(change);
            }

            after = at;
        }

        state.RunNightsBetween(after, DateTimeOffset.MaxValue);
    }

    private sealed class State(DemoCustomer demo, ChurnOptions rules, DateTimeOffset end)
    {
        private readonly List<Order> _orders = demo.Customer.Orders;
        private int _ordersSeen;
        private ChurnEvent? _open;
        private SubscriptionEvent? _latestChange;
        private DateTimeOffset? _lastCancellationReference;
        private DateTimeOffset? _lastLapseReference;

        public void Ordered(DateTimeOffset at)
        {
            _ordersSeen++;
            WinBack(at);
        }

        /// <summary>Ingest of a subscription event: a (re)start wins the customer back, a cancellation opens its event at once.</summary>
        public void Changed(SubscriptionEvent change)
        {
            _latestChange = change;
            if (change.Kind is SubscriptionEventKind.Started or SubscriptionEventKind.Resumed)
            {
                WinBack(change.OccurredAt);
            }

            if (change.Kind == SubscriptionEventKind.Cancelled)
            {
                TryOpenCancellation(change.OccurredAt);
            }
        }

        /// <summary>
        /// The detection runs after <paramref name="after"/> and before the next activity: nothing changes
        /// in between, so only the first run can open a cancellation and only one lapse can open.
        /// </summary>
        public void RunNightsBetween(DateTimeOffset after, DateTimeOffset before)
        {
            if (RunAfter(after) is not { } first || first >= before)
            {
                return;
            }

            // A cancellation that arrived while another event was open gets its own event at the next run.
            var cancellation = TryOpenCancellation(first);
            if (_open is not null || _ordersSeen == 0 || _latestChange is { Kind: not SubscriptionEventKind.Cancelled })
            {
                return;
            }

            var last = _orders[_ordersSeen - 1].PlacedAt;
            if (_lastLapseReference >= last)
            {
                return;
            }

            var (threshold, usualGap) = Threshold();
            var churnedAt = last.AddTicks(threshold * TimeSpan.TicksPerDay);
            // The cancellation event opened at the first run is still open there; it closes at the run after.
            var earliest = cancellation is null ? after : first;
            if (RunAfter(Max(earliest, churnedAt.AddTicks(-1))) is { } run && run < before)
            {
                var daysAgo = (int)Math.Floor((run - last).TotalDays);
                var explanation = usualGap is { } gap
                    ? string.Create(CultureInfo.InvariantCulture, $"last order {daysAgo} days ago; usual gap {(int)Math.Floor(gap + 0.5)} days; threshold {threshold} days")
                    : string.Create(CultureInfo.InvariantCulture, $"one order only, {daysAgo} days ago; threshold for one-time buyers {threshold} days");
                _open = Open(ChurnKind.Lapsed, last, churnedAt, run, explanation);
                (_open.UsualGapDays, _open.ThresholdDays) = (usualGap, threshold);
                _lastLapseReference = last;
            }
        }

        /// <summary>Opens a cancellation event when the latest subscription event is a cancellation without one and nothing is open.</summary>
        private ChurnEvent? TryOpenCancellation(DateTimeOffset now)
        {
            if (_open is not null || _latestChange is not { Kind: SubscriptionEventKind.Cancelled } cancelled
                || _lastCancellationReference >= cancelled.OccurredAt)
            {
                return null;
            }

            var churn = Open(ChurnKind.SubscriptionCancelled, cancelled.OccurredAt, cancelled.OccurredAt, now,
                string.Create(CultureInfo.InvariantCulture, $"subscription cancelled on {cancelled.OccurredAt.UtcDateTime:yyyy-MM-dd}"));
            _lastCancellationReference = cancelled.OccurredAt;
            // Opened late, after activity that already wins the customer back: the next run closes it.
            if (FirstActivityAfter(cancelled.OccurredAt, now) is { } wonBack)
            {
                (churn.WonBackAt, _open) = (wonBack, null);
            }

            return churn;
        }

        private ChurnEvent Open(ChurnKind kind, DateTimeOffset reference, DateTimeOffset churnedAt, DateTimeOffset openedAt, string explanation)
        {
            var churn = new ChurnEvent
            {
                Customer = demo.Customer, Kind = kind, ReferenceAt = reference, ChurnedAt = churnedAt, OpenedAt = openedAt, Explanation = explanation,
            };
            demo.ChurnEvents.Add(churn);
            _open = churn;
            return churn;
        }

        private void WinBack(DateTimeOffset at)
        {
            if (_open is not null && at > _open.ReferenceAt)
            {
                (_open.WonBackAt, _open) = (at, null);
            }
        }

        /// <summary>The first order or (re)start after <paramref name="reference"/> that has happened by <paramref name="now"/>.</summary>
        private DateTimeOffset? FirstActivityAfter(DateTimeOffset reference, DateTimeOffset now)
        {
            var order = _orders.Take(_ordersSeen).Select(o => (DateTimeOffset?)o.PlacedAt).FirstOrDefault(t => t > reference && t <= now);
            var start = demo.Customer.SubscriptionEvents
                .Where(e => e.Kind is SubscriptionEventKind.Started or SubscriptionEventKind.Resumed && e.OccurredAt > reference && e.OccurredAt <= now)
                .Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefault();
            return order is null ? start : start is null ? order : Min(order.Value, start.Value);
        }

        /// <summary>The detector's threshold: one-time buyers a fixed number of days, others k × their median gap (at least the minimum).</summary>
        private (int Days, double? UsualGap) Threshold()
        {
            if (_ordersSeen == 1)
            {
                return (rules.SingleOrderLapseDays, null);
            }

            var gaps = new double[_ordersSeen - 1];
            for (var i = 1; i < _ordersSeen; i++)
            {
                // Fractional days from ticks, as the detector's SQL computes them.
                gaps[i - 1] = (_orders[i].PlacedAt.UtcTicks - _orders[i - 1].PlacedAt.UtcTicks) / (double)TimeSpan.TicksPerDay;
            }

            Array.Sort(gaps);
            var median = (gaps[(gaps.Length - 1) / 2] + gaps[gaps.Length / 2]) / 2;
            return (Math.Max(rules.MinimumLapseDays, (int)Math.Ceiling(rules.GapMultiplier * median)), median);
        }

        /// <summary>The first detection run strictly after <paramref name="moment"/>: 02:00 UTC nightly, and a last one at the end.</summary>
        private DateTimeOffset? RunAfter(DateTimeOffset moment)
        {
            if (moment >= end)
            {
                return null;
            }

            if (moment == DateTimeOffset.MinValue)
            {
                return null;
            }

            var run = new DateTimeOffset(moment.UtcDateTime.Date, TimeSpan.Zero) + NightlyRun;
            run = run > moment ? run : run.AddDays(1);
            return run <= end ? run : end;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
