using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Web.Features.Churn;

namespace FeedbackHub.Benchmarks;

/// <summary>A subscription change of the customer at index <paramref name="Customer"/>.</summary>
internal readonly record struct SubscriptionChange(int Customer, SubscriptionEventKind Kind, long Ticks);

/// <summary>
/// Two years of a shop's history, reproducible from the sizes alone. About a third of the customers
/// bought once; the others buy at a rhythm of their own (a usual gap of 7 to 120 days, each gap
/// half to one and a half times it), some still buying and some long gone. One in ten subscribed;
/// of those some cancelled after their last order, some paused and some of them resumed.
/// Orders are numbered in time order, as a shop's would be, so a customer's orders are spread
/// over the table. Times are UTC ticks, whole seconds.
/// </summary>
internal sealed class CustomerHistory
{
    public const int Days = 730;

    private const double SingleOrderShare = 0.35;
    private const double SubscriberShare = 0.10;
    private const double CancelledShare = 0.35;
    private const double PausedShare = 0.10;

    private CustomerHistory(long[] created, long[] orderTicks, int[] orderCustomers, SubscriptionChange[] subscriptionChanges) =>
        (CreatedTicks, OrderTicks, OrderCustomers, SubscriptionChanges) = (created, orderTicks, orderCustomers, subscriptionChanges);

    /// <summary>Per customer (id = index + 1): created shortly before their first order.</summary>
    public long[] CreatedTicks { get; }

    /// <summary>Per order (id = index + 1), ascending: when it was placed.</summary>
    public long[] OrderTicks { get; }

    /// <summary>Per order: the customer's index.</summary>
    public int[] OrderCustomers { get; }

    /// <summary>Every subscription event, in time order (id = index + 1).</summary>
    public SubscriptionChange[] SubscriptionChanges { get; }

    public int Customers => CreatedTicks.Length;

    public static CustomerHistory Generate(int customers, int orders, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(orders, customers);
        var random = new Random(2024);
        var counts = OrderCounts(random, customers, orders);
        var created = new long[customers];
        var orderTicks = new long[orders];
        var orderCustomers = new int[orders];
        var changes = new List<SubscriptionChange>();
        var gaps = new List<double>();
        var end = now.UtcTicks;
        var next = 0;
        for (var c = 0; c < customers; c++)
        {
            var k = counts[c];
            gaps.Clear();
            // A personal rhythm, log-uniform so that weekly and quarterly buyers are both common.
            var usualGap = Math.Exp(Math.Log(7) + random.NextDouble() * (Math.Log(120) - Math.Log(7)));
            for (var j = 1; j < k; j++)
            {
                gaps.Add(usualGap * (0.5 + random.NextDouble()));
            }

            var span = gaps.Sum();
            if (span > Days - 30)
            {
                // More orders than two years hold at this rhythm: a more frequent buyer.
                var scale = (Days - 30) / span;
                for (var j = 0; j < gaps.Count; j++)
                {
                    gaps[j] *= scale;
                }

                span = Days - 30;
            }

            var first = end - DaysToTicks(span + random.NextDouble() * (Days - span));
            created[c] = Seconds(first - random.NextInt64(TimeSpan.TicksPerHour));
            var at = first;
            orderTicks[next] = Seconds(at);
            orderCustomers[next++] = c;
            foreach (var gap in gaps)
            {
                at += DaysToTicks(gap);
                orderTicks[next] = Seconds(at);
                orderCustomers[next++] = c;
            }

            if (random.NextDouble() < SubscriberShare)
            {
                Subscribe(random, changes, c, first, at, end);
            }
        }

        // Ids in time order, as a shop's orders arrive.
        Array.Sort(orderTicks, orderCustomers);
        changes.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        return new CustomerHistory(created, orderTicks, orderCustomers, [.. changes]);
    }

    /// <summary>
    /// Customers that the churn rules open an event for at <paramref name="at"/>, counted here from the
    /// rules as the README states them, to check the SQL against: (cancellations, lapsed buyers).
    /// </summary>
    public (int Cancelled, int Lapsed) ExpectedChurn(DateTimeOffset at, ChurnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var latestChange = new SubscriptionEventKind?[Customers];
        foreach (var change in SubscriptionChanges)
        {
            latestChange[change.Customer] = change.Kind;
        }

        // Each customer's orders side by side, in time order: customer c's are placed[start[c]..start[c + 1]].
        var start = new int[Customers + 1];
        foreach (var customer in OrderCustomers)
        {
            start[customer + 1]++;
        }

        for (var c = 0; c < Customers; c++)
        {
            start[c + 1] += start[c];
        }

        var placed = new long[OrderTicks.Length];
        var filled = start[..^1];
        for (var i = 0; i < OrderTicks.Length; i++)
        {
            placed[filled[OrderCustomers[i]]++] = OrderTicks[i];
        }

        var (cancelled, lapsed) = (0, 0);
        for (var c = 0; c < Customers; c++)
        {
            if (latestChange[c] == SubscriptionEventKind.Cancelled)
            {
                cancelled++;
                continue;
            }

            if (latestChange[c] is not null)
            {
                // A running or paused subscription: not a lapsed buyer.
                continue;
            }

            var orders = placed.AsSpan(start[c], start[c + 1] - start[c]);
            var threshold = options.SingleOrderLapseDays;
            if (orders.Length > 1)
            {
                var gaps = new double[orders.Length - 1];
                for (var j = 0; j < gaps.Length; j++)
                {
                    gaps[j] = (double)(orders[j + 1] - orders[j]) / TimeSpan.TicksPerDay;
                }

                Array.Sort(gaps);
                var median = (gaps[(gaps.Length - 1) / 2] + gaps[gaps.Length / 2]) / 2;
                threshold = Math.Max(options.MinimumLapseDays, (int)Math.Ceiling(options.GapMultiplier * median));
            }

            if (orders[^1] + threshold * TimeSpan.TicksPerDay <= at.UtcTicks)
            {
                lapsed++;
            }
        }

        return (cancelled, lapsed);
    }

    /// <summary>
    /// One order each, plus the rest spread over the repeat buyers in exponentially distributed
    /// shares, so that a few buy very often; the total is exactly <paramref name="orders"/>.
    /// </summary>
    private static int[] OrderCounts(Random random, int customers, int orders)
    {
        var counts = new int[customers];
        Array.Fill(counts, 1);
        var extra = orders - customers;
        var weights = new double[customers];
        for (var c = 0; c < customers; c++)
        {
            weights[c] = random.NextDouble() < SingleOrderShare ? 0 : -Math.Log(1 - random.NextDouble());
        }

        var total = weights.Sum();
        if (extra == 0 || total == 0)
        {
            return counts;
        }

        var given = 0;
        for (var c = 0; c < customers; c++)
        {
            var share = (int)(extra * weights[c] / total);
            counts[c] += share;
            given += share;
        }

        // The remainder (fewer than one per customer) goes one each to repeat buyers in turn.
        for (var c = 0; given < extra; c = (c + 1) % customers)
        {
            if (weights[c] > 0)
            {
                counts[c]++;
                given++;
            }
        }

        return counts;
    }

    /// <summary>A subscription from the first order; cancelled after the last order, or paused (and maybe resumed), or still running.</summary>
    private static void Subscribe(Random random, List<SubscriptionChange> changes, int customer, long first, long last, long end)
    {
        changes.Add(new(customer, SubscriptionEventKind.Started, Seconds(first)));
        var draw = random.NextDouble();
        if (draw < CancelledShare)
        {
            changes.Add(new(customer, SubscriptionEventKind.Cancelled, Seconds(last + (long)(random.NextDouble() * (end - last)))));
        }
        else if (draw < CancelledShare + PausedShare)
        {
            var paused = first + (long)(random.NextDouble() * (end - first));
            changes.Add(new(customer, SubscriptionEventKind.Paused, Seconds(paused)));
            if (random.NextDouble() < 0.5)
            {
                changes.Add(new(customer, SubscriptionEventKind.Resumed, Seconds(paused + (long)(random.NextDouble() * (end - paused)))));
            }
        }
    }

    private static long DaysToTicks(double days) => (long)(days * TimeSpan.TicksPerDay);

    private static long Seconds(long ticks) => ticks - ticks % TimeSpan.TicksPerSecond;
}
