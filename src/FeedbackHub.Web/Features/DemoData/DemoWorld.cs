using FeedbackHub.Classification;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>
/// What every invented customer shares: the span of history, the campaigns that may thank them, the
/// churn and survey rules, the survey version they answer and the classifier that reads their answers.
/// A customer is invented from this and their index alone, so the same seed gives the same customer
/// whether the demo seeder or a benchmark's bulk loader stores it.
/// </summary>
public sealed class DemoWorld
{
    public const string CustomerIdPrefix = "demo-c-";
    private const string Currency = "EUR";

    private readonly Dictionary<string, TextPrediction> _predictions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);

    /// <param name="options">The seed, the number of months and the rates.</param>
    /// <param name="end">The last moment of history.</param>
    /// <param name="campaigns">The thank-you campaigns (see <see cref="DemoCampaigns.Define"/>), with their ids once stored.</param>
    /// <param name="churn">The churn rules the events follow.</param>
    /// <param name="surveys">The survey rules the invitations follow.</param>
    /// <param name="surveyVersionId">The survey version customers answer.</param>
    /// <param name="model">The classifier version that reads the answers (id 0: not stored).</param>
    public DemoWorld(
        DemoDataOptions options, DateTimeOffset end, IReadOnlyList<Campaign> campaigns, ChurnOptions churn, SurveyOptions surveys,
        long surveyVersionId, LoadedReasonModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        (Options, End, Start, Campaigns, Churn, Surveys, SurveyVersionId, Model) =
            (options, end, end.AddMonths(-options.Months), campaigns, churn, surveys, surveyVersionId, model);
    }

    public DemoDataOptions Options { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public IReadOnlyList<Campaign> Campaigns { get; }

    public ChurnOptions Churn { get; }

    public SurveyOptions Surveys { get; }

    public long SurveyVersionId { get; }

    public LoadedReasonModel Model { get; }

    /// <summary>The same world with other options (rates, seed), for a caller that tunes them to reach a size.</summary>
    public DemoWorld With(DemoDataOptions options) => new(options, End, Campaigns, Churn, Surveys, SurveyVersionId, Model);

    /// <summary>The end of the history for a last day: the demo's "now".</summary>
    public static DateTimeOffset EndOf(DateOnly asOf) => new(asOf.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);

    /// <summary>One customer with their whole history, from a random stream of their own (stable per seed and index).</summary>
    public DemoCustomer Invent(int index)
    {
        var random = new Random(unchecked((Options.Seed * 1_000_003) + index));
        var dutch = random.NextDouble() < 0.6;
        var firstName = Pick(random, dutch ? DemoPeople.DutchFirstNames : DemoPeople.EnglishFirstNames);
        var lastName = Pick(random, dutch ? DemoPeople.DutchLastNames : DemoPeople.EnglishLastNames);
        var span = (End - Start).TotalDays;
        // Skewed towards recent sign-ups: a growing shop.
        var joined = Start.AddDays(Math.Floor(span * Math.Pow(random.NextDouble(), 0.8))).AddMinutes(random.Next(8 * 60, 22 * 60));
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
            // A few customers support found not worth an offer; they tend to leave over service.
            FlaggedBySupport = random.NextDouble() < 0.012,
            CreatedAt = joined,
            UpdatedAt = joined,
        };
        // Bargain hunters buy almost only with a discount: what the discount-dependency figures find.
        var bargainHunter = random.NextDouble() < 0.06;

        var subscriber = random.NextDouble() < 0.3;
        // How long this customer stays: exponential, so some leave quickly and a few stay for years.
        var staysDays = -Math.Log(1 - random.NextDouble()) * (subscriber ? 420 : 300);
        var leaves = joined.AddDays(staysDays);
        if (subscriber)
        {
            AddSubscriptionHistory(customer, random, joined, leaves, End);
        }

        // Subscribers receive a monthly box; other buyers keep a rhythm of their own (median about five weeks).
        var usualGap = subscriber ? 30 : Math.Clamp(Math.Exp(Math.Log(35) + (0.6 * Gaussian(random))), 7, 180) / Options.PurchaseRate;
        AddOrders(customer, random, joined, Min(leaves, End), usualGap, firstOrder: true, bargainHunter);
        if (!subscriber && leaves < End && random.NextDouble() < 0.12)
        {
            // Won back after a long pause.
            var returns = leaves.AddDays(random.Next(90, 200));
            AddOrders(customer, random, returns, Min(returns.AddDays(usualGap * random.Next(1, 4)), End), usualGap, firstOrder: false, bargainHunter);
        }

        var demo = new DemoCustomer(customer);
        DemoCampaigns.Apply(this, demo, random, index);
        // The database's triggers keep this; a bulk load that bypasses them stores it as it is here.
        customer.AcquiredAt = new[] { customer.Orders.FirstOrDefault()?.PlacedAt, customer.SubscriptionEvents.FirstOrDefault()?.OccurredAt }.Min();
        DemoChurn.Replay(demo, Churn, End);
        DemoSurveys.Invite(this, demo, random, customer.FlaggedBySupport);
        return demo;
    }

    /// <summary>An order as customers place them: one to a few items around €18 each, now and then with a shop discount.</summary>
    internal static Order NewOrder(Customer customer, Random random, DateTimeOffset placed, bool firstOrder, bool bargainHunter)
    {
        var items = 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.2);
        var total = decimal.Round((decimal)Math.Exp(Math.Log(18) + (0.45 * Gaussian(random))) * items, 2);
        return new Order
        {
            ExternalId = $"demo-o-{customer.ExternalId[CustomerIdPrefix.Length..]}-{customer.Orders.Count + 1:D3}",
            PlacedAt = placed,
            Total = total,
            Currency = Currency,
            DiscountCode = DiscountFor(random, firstOrder && customer.Orders.Count == 0, bargainHunter),
            ItemCount = items,
            CreatedAt = placed,
            UpdatedAt = placed,
        };
    }

    /// <summary>The classifier's reading of a comment; the demo repeats its sentences, so each is read once.</summary>
    internal TextPrediction Predict(string comment)
    {
        if (!_predictions.TryGetValue(comment, out var prediction))
        {
            prediction = Model.Classifier.Predict(comment);
            _predictions[comment] = prediction;
        }

        return prediction;
    }

    internal TimeZoneInfo Zone(string id)
    {
        if (!_zones.TryGetValue(id, out var zone))
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            _zones[id] = zone;
        }

        return zone;
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

    private static void AddOrders(
        Customer customer, Random random, DateTimeOffset from, DateTimeOffset until, double usualGap, bool firstOrder, bool bargainHunter)
    {
        for (var placed = from; placed <= until; placed = placed.AddDays(Math.Max(1, usualGap * Math.Exp(0.35 * Gaussian(random)))))
        {
            customer.Orders.Add(NewOrder(customer, random, placed, firstOrder, bargainHunter));
        }
    }

    private static string? DiscountFor(Random random, bool firstOrder, bool bargainHunter) => random.NextDouble() switch
    {
        < 0.35 when firstOrder => "WELCOME15",
        < 0.06 => "SUMMER10",
        < 0.10 => "FREESHIP",
        < 0.55 when bargainHunter => "SUMMER10",
        < 0.85 when bargainHunter => "FREESHIP",
        _ => null,
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
