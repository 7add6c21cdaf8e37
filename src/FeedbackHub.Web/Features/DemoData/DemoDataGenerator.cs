using FeedbackHub.Data;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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

    /// <summary>How often buyers without a subscription order, relative to the demo's usual rhythm (about 5.5 orders a customer over 18 months).</summary>
    public double PurchaseRate { get; init; } = 1;

    /// <summary>How often invited customers answer the exit survey, relative to the demo's usual share (about one customer in ten answers).</summary>
    public double ResponseRate { get; init; } = 1;
}

/// <summary>What a seed run stored (or, when demo data was already present, how many demo customers there are).</summary>
public sealed record DemoDataResult(bool AlreadyPresent, int Customers, int Orders, int SubscriptionEvents)
{
    public int ChurnEvents { get; init; }

    public int SurveyInvitations { get; init; }

    public int SurveyResponses { get; init; }

    public int DiscountCodes { get; init; }

    /// <summary>The counts of these customers' rows.</summary>
    public static DemoDataResult Of(IReadOnlyCollection<DemoCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return new DemoDataResult(false, customers.Count, customers.Sum(c => c.Customer.Orders.Count), customers.Sum(c => c.Customer.SubscriptionEvents.Count))
        {
            ChurnEvents = customers.Sum(c => c.ChurnEvents.Count),
            SurveyInvitations = customers.Sum(c => c.Invitations.Count),
            SurveyResponses = customers.Sum(c => c.Responses.Count),
            DiscountCodes = customers.Sum(c => c.Codes.Count),
        };
    }

    public static DemoDataResult operator +(DemoDataResult a, DemoDataResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new DemoDataResult(a.AlreadyPresent && b.AlreadyPresent, a.Customers + b.Customers, a.Orders + b.Orders, a.SubscriptionEvents + b.SubscriptionEvents)
        {
            ChurnEvents = a.ChurnEvents + b.ChurnEvents,
            SurveyInvitations = a.SurveyInvitations + b.SurveyInvitations,
            SurveyResponses = a.SurveyResponses + b.SurveyResponses,
            DiscountCodes = a.DiscountCodes + b.DiscountCodes,
        };
    }
}

/// <summary>
/// Fills the database with invented but lifelike shop history: Dutch and English customers, repeat
/// purchases at each customer's own rhythm, subscriptions that pause and get cancelled, buyers who
/// lapse and some who come back, their churn events, exit-survey invitations and answers, and two
/// thank-you campaigns with codes, redemptions and hold-out groups (see <see cref="DemoWorld"/>).
/// Streams in batches so a million customers fit in memory.
/// </summary>
public sealed class DemoDataGenerator(
    AppDbContext db, TimeProvider time, ActiveReasonModel models, IOptions<ChurnOptions> churnOptions, IOptions<SurveyOptions> surveyOptions)
{
    public const string CustomerIdPrefix = DemoWorld.CustomerIdPrefix;
    private const int BatchSize = 1_000;

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

        // One transaction: an interrupted run leaves nothing behind, the campaigns and survey version included.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var world = await PrepareAsync(options, cancellationToken);
        var result = new DemoDataResult(false, 0, 0, 0);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            for (var first = 0; first < options.Customers; first += BatchSize)
            {
                var count = Math.Min(BatchSize, options.Customers - first);
                var batch = Enumerable.Range(first, count).Select(world.Invent).ToList();
                await SaveAsync(batch, cancellationToken);
                result += DemoDataResult.Of(batch);
                progress?.Report(first + count);
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Stores what every demo customer shares (the campaigns, the current survey version, the active
    /// classifier version) and returns the world to invent customers in. The caller's transaction, if
    /// any, covers these rows too.
    /// </summary>
    public async Task<DemoWorld> PrepareAsync(DemoDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var end = DemoWorld.EndOf(options.AsOf ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var campaigns = DemoCampaigns.Define(end);
        db.Campaigns.AddRange(campaigns);
        await db.SaveChangesAsync(cancellationToken);
        var version = await new SurveyVersions(db, time).CurrentAsync(cancellationToken);
        var model = await models.GetAsync(db, cancellationToken);
        return new DemoWorld(options, end, campaigns, churnOptions.Value, surveyOptions.Value, version.Id, model);
    }

    /// <summary>
    /// Three saves, because some keys have no navigation to fill them: customers with their orders,
    /// subscription events, churn events and invitations; then answers, codes and groups, which need
    /// the customer's id; then the thank-you decisions, which need the codes' ids.
    /// </summary>
    private async Task SaveAsync(List<DemoCustomer> batch, CancellationToken cancellationToken)
    {
        db.Customers.AddRange(batch.Select(c => c.Customer));
        db.ChurnEvents.AddRange(batch.SelectMany(c => c.ChurnEvents));
        db.SurveyInvitations.AddRange(batch.SelectMany(c => c.Invitations));
        await db.SaveChangesAsync(cancellationToken);
        batch.ForEach(c => c.LinkKeys());
        db.SurveyResponses.AddRange(batch.SelectMany(c => c.Responses));
        db.DiscountCodes.AddRange(batch.SelectMany(c => c.Codes));
        db.CampaignAssignments.AddRange(batch.SelectMany(c => c.Assignments));
        await db.SaveChangesAsync(cancellationToken);
        batch.ForEach(c => c.LinkKeys());
        db.ThankYous.AddRange(batch.SelectMany(c => c.ThankYous.Select(t => t.Row)));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
