using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>What to generate. The same values always give the same data.</summary>
public sealed record DemoDataOptions
{
    public const int DefaultCustomers = 2_000;
    public const int DefaultSeed = 42;
    public const int MaxCustomers = 1_000_000;

    public int Customers { get; init; } = DefaultCustomers;

    public int Seed { get; init; } = DefaultSeed;

    public int Months { get; init; } = 18;

    /// <summary>The last day of history; the demo ends "today" unless a day is given for reproducible data.</summary>
    public DateOnly? AsOf { get; init; }
}

public sealed record DemoDataResult(bool AlreadyPresent, int Customers, int Orders, int SubscriptionEvents);

/// <summary>
/// Fills the database with invented but lifelike shop history: Dutch and English customers, repeat
/// purchases at each customer's own rhythm, subscriptions that pause and get cancelled, buyers who
/// lapse and some who come back. Streams in batches so a million customers fit in memory.
/// </summary>
public sealed class DemoDataGenerator(AppDbContext db, TimeProvider time)
{
    public const string CustomerIdPrefix = "demo-c-";
    private const int BatchSize = 1_000;
    private const string Currency = "EUR";

    public async Task<DemoDataResult> SeedAsync(DemoDataOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Customers, DemoDataOptions.MaxCustomers);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Months, 1);

        var present = await db.Customers.CountAsync(c => c.ExternalId.StartsWith(CustomerIdPrefix), cancellationToken);
        if (present > 0)
        {
            return new DemoDataResult(true, present, 0, 0);
        }

        var asOf = options.AsOf ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var end = new DateTimeOffset(asOf.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);
        var start = end.AddMonths(-options.Months);
        var (orders, events) = (0, 0);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            // One transaction: an interrupted run leaves nothing behind.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var first = 0; first < options.Customers; first += BatchSize)
            {
                var count = Math.Min(BatchSize, options.Customers - first);
                var batch = Enumerable.Range(first, count).Select(i => InventCustomer(options.Seed, i, start, end)).ToList();
                db.Customers.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                orders += batch.Sum(c => c.Orders.Count);
                events += batch.Sum(c => c.SubscriptionEvents.Count);
                progress?.Report(first + count);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        return new DemoDataResult(false, options.Customers, orders, events);
    }

    /// <summary>One customer with their whole history, from a random stream of their own (stable per seed and index).</summary>
    internal static Customer InventCustomer(int seed, int index, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var dutch = random.NextDouble() < 0.6;
        var firstName = Pick(random, dutch ? DemoPeople.DutchFirstNames : DemoPeople.EnglishFirstNames);
        var lastName = Pick(random, dutch ? DemoPeople.DutchLastNames : DemoPeople.EnglishLastNames);
        var span = (end - start).TotalDays;
        // Skewed towards recent sign-ups: a growing shop.
        var joined = start.AddDays(Math.Floor(span * Math.Pow(random.NextDouble(), 0.8))).AddMinutes(random.Next(8 * 60, 22 * 60));
        var consent = random.NextDouble() < 0.7;
        var customer = new Customer
        {
            ExternalId = $"{CustomerIdPrefix}{index:D7}",
            Email = $"{DemoPeople.EmailPart(firstName)}.{DemoPeople.EmailPart(lastName)}.{index}@example.{(dutch ? "nl" : "com")}",
            FirstName = firstName,
            LastName = lastName,
            Locale = dutch ? CustomerLocales.Dutch : CustomerLocales.English,
            TimeZone = dutch ? "Europe/Amsterdam" : random.NextDouble() < 0.8 ? "Europe/London" : "America/New_York",
            MarketingConsent = consent,
            MarketingConsentSource = consent ? "checkout" : null,
            MarketingConsentAt = consent ? joined : null,
            CreatedAt = joined,
            UpdatedAt = joined,
        };

        var subscriber = random.NextDouble() < 0.3;
        // How long this customer stays: exponential, so some leave quickly and a few stay for years.
        var staysDays = -Math.Log(1 - random.NextDouble()) * (subscriber ? 420 : 300);
        var leaves = joined.AddDays(staysDays);
        if (subscriber)
        {
            AddSubscriptionHistory(customer, random, joined, leaves, end);
        }

        // Subscribers receive a monthly box; other buyers keep a rhythm of their own (median about five weeks).
        var usualGap = subscriber ? 30 : Math.Clamp(Math.Exp(Math.Log(35) + (0.6 * Gaussian(random))), 7, 180);
        AddOrders(customer, random, joined, Min(leaves, end), usualGap, firstOrder: true);
        if (!subscriber && leaves < end && random.NextDouble() < 0.12)
        {
            // Won back after a long pause.
            var returns = leaves.AddDays(random.Next(90, 200));
            AddOrders(customer, random, returns, Min(returns.AddDays(usualGap * random.Next(1, 4)), end), usualGap, firstOrder: false);
        }

        return customer;
    }

    private static void AddSubscriptionHistory(Customer customer, Random random, DateTimeOffset joined, DateTimeOffset leaves, DateTimeOffset end)
    {
        AddEvent(customer, SubscriptionEventKind.Started, joined);
        var lastActive = Min(leaves, end);
        if (random.NextDouble() < 0.15 && (lastActive - joined).TotalDays > 120)
        {
            var paused = joined.AddDays(random.Next(30, (int)(lastActive - joined).TotalDays - 60));
            AddEvent(customer, SubscriptionEventKind.Paused, paused);
            AddEvent(customer, SubscriptionEventKind.Resumed, paused.AddDays(random.Next(20, 60)));
        }

        if (leaves < end)
        {
            AddEvent(customer, SubscriptionEventKind.Cancelled, leaves);
        }
    }

    private static void AddEvent(Customer customer, SubscriptionEventKind kind, DateTimeOffset at) =>
        customer.SubscriptionEvents.Add(new SubscriptionEvent
        {
            EventId = $"demo-e-{customer.ExternalId[CustomerIdPrefix.Length..]}-{customer.SubscriptionEvents.Count + 1}",
            Kind = kind,
            OccurredAt = at,
            ReceivedAt = at,
        });

    private static void AddOrders(Customer customer, Random random, DateTimeOffset from, DateTimeOffset until, double usualGap, bool firstOrder)
    {
        for (var placed = from; placed <= until; placed = placed.AddDays(Math.Max(1, usualGap * Math.Exp(0.35 * Gaussian(random)))))
        {
            var items = 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.2);
            var total = decimal.Round((decimal)Math.Exp(Math.Log(18) + (0.45 * Gaussian(random))) * items, 2);
            customer.Orders.Add(new Order
            {
                ExternalId = $"demo-o-{customer.ExternalId[CustomerIdPrefix.Length..]}-{customer.Orders.Count + 1:D3}",
                PlacedAt = placed,
                Total = total,
                Currency = Currency,
                DiscountCode = DiscountFor(random, firstOrder && customer.Orders.Count == 0),
                ItemCount = items,
                CreatedAt = placed,
                UpdatedAt = placed,
            });
        }
    }

    private static string? DiscountFor(Random random, bool firstOrder) => random.NextDouble() switch
    {
        < 0.35 when firstOrder => "WELCOME15",
        < 0.06 => "SUMMER10",
        < 0.10 => "FREESHIP",
        _ => null,
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
