using System.Data;
using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Keeps the dashboards' summary tables up to date, so a dashboard adds up a row per customer instead of
/// going through every order at read time: <see cref="CustomerMonth"/> (cohorts), <see cref="CampaignOutcome"/>
/// (campaigns), <see cref="LostRevenue"/> (revenue lost by churn reason) and <see cref="DiscountHistory"/>
/// (customers not worth an offer). Triggers on the tables they are
/// computed from list the customers whose rows changed (<see cref="SummaryChange"/>); <see cref="CatchUpAsync(TimeZoneInfo, CancellationToken)"/>
/// recounts just those customers, set-based in the database, before a figure is read. Each summary's
/// statement lives beside the report that defines its figures. Months are the shop's calendar months: an
/// order's month is the last <see cref="ReportMonth"/> that starts at or before it, and the summaries are
/// built again from all rows when they were built for another time zone.
/// </summary>
public sealed class ReportSummaries(AppDbContext db, DatabaseSettings settings, IOptions<EmailOptions> email)
{
    /// <summary>Orders before this year or from this year on have no month and count in no cohort.</summary>
    public const int FirstYear = 1970, EndYear = 2200;

    /// <summary>The condition that keeps the listed customers, for a summary's statement (over a customer id column).</summary>
    private const string Listed = """IN (SELECT "CustomerId" FROM "SummaryChanges")""";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A month's number in the summary: year × 12 + month − 1.</summary>
    public static int Number(DateOnly month) => (month.Year * 12) + month.Month - 1;

    /// <summary>Each summary table and the statement that fills it for the customers <paramref name="customers"/> keeps (a condition on a customer id column).</summary>
    private IEnumerable<(string Table, string Insert)> Summaries(Func<string, string> customers)
    {
        var sql = new ProviderSql(settings.Provider);
        yield return ("CustomerMonths", CohortReport.SummaryInsert(customers));
        yield return ("CampaignOutcomes", CampaignReport.SummaryInsert(sql, customers));
        yield return ("LostRevenues", ChurnReasonReport.SummaryInsert(sql, customers));
        yield return ("DiscountHistories", DiscountDependencyReport.SummaryInsert(customers));
    }

    /// <summary>Brings the summaries up to date for months in the shop's time zone (<see cref="EmailOptions.ShopZone"/>).</summary>
    public Task<int> CatchUpAsync(CancellationToken cancellationToken) => CatchUpAsync(email.Value.ShopZone, cancellationToken);

    /// <summary>
    /// Brings the summaries up to date with every committed change, for months in <paramref name="zone"/>;
    /// returns how many customer changes it counted (a build from all rows counts every customer).
    /// </summary>
    public async Task<int> CatchUpAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (await IsBuiltForAsync(zone, cancellationToken) && !await db.SummaryChanges.AnyAsync(cancellationToken))
        {
            return 0;
        }

        // A first build after an upgrade or a large import reads every order once: more than a page's usual timeout.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(BuildTimeout);
        try
        {
            var counted = 0;
            if (!await IsBuiltForAsync(zone, cancellationToken))
            {
                // Built without holding up writes, from one snapshot (repeatable read on PostgreSQL; SQLite's one
                // writer gives the same): the changes it empties from the list are those its rows include, and a
                // change that commits meanwhile stays listed for the pass below.
                var isolation = settings.Provider == DatabaseProvider.Postgres ? IsolationLevel.RepeatableRead : IsolationLevel.Serializable;
                await using var building = await db.Database.BeginTransactionAsync(isolation, cancellationToken);
                await LockAsync(ChangesLock.Free, cancellationToken);
                if (!await IsBuiltForAsync(zone, cancellationToken))
                {
                    counted = await BuildAsync(zone, cancellationToken);
                }

                await building.CommitAsync(cancellationToken);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(ChangesLock.Held, cancellationToken);
            counted += await db.SummaryChanges.CountAsync(cancellationToken);
            foreach (var (table, insert) in Summaries(column => $"{column} {Listed}"))
            {
                // Only fixed SQL; nothing from outside is interpolated.
                var delete = $"""DELETE FROM "{table}" WHERE "CustomerId" {Listed}""";
                await db.Database.ExecuteSqlRawAsync(delete, cancellationToken);
                await db.Database.ExecuteSqlRawAsync(insert, cancellationToken);
            }

            await db.SummaryChanges.ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return counted;
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    /// <summary>
    /// Forgets the summaries, so the next catch-up builds them from all rows: for loads that bypass the
    /// triggers (PostgreSQL bulk loads with triggers off).
    /// </summary>
    public async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await db.SummaryStates.Where(s => s.Name == SummaryState.Reports).ExecuteDeleteAsync(cancellationToken);
    }

    private Task<bool> IsBuiltForAsync(TimeZoneInfo zone, CancellationToken cancellationToken) =>
        db.SummaryStates.AnyAsync(s => s.Name == SummaryState.Reports && s.TimeZone == zone.Id, cancellationToken);

    private enum ChangesLock
    {
        /// <summary>Writes go on (a build, which reads all rows once).</summary>
        Free,

        /// <summary>Writes to the listed tables wait until the transaction ends (the pass over the listed changes, which empties the list).</summary>
        Held,
    }

    /// <summary>
    /// One catch-up at a time, across nodes. On PostgreSQL the summaries' state row table is the catch-ups'
    /// lock, and holding the change list waits for every uncommitted write that lists a customer, so none is
    /// emptied from the list before it is counted. SQLite has one writer: a first write takes the database's lock.
    /// </summary>
    private async Task LockAsync(ChangesLock changes, CancellationToken cancellationToken)
    {
        if (settings.Provider != DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "SummaryStates" WHERE 0""", cancellationToken);
            return;
        }

        await db.Database.ExecuteSqlRawAsync("""LOCK TABLE "SummaryStates" IN EXCLUSIVE MODE""", cancellationToken);
        if (changes == ChangesLock.Held)
        {
            await db.Database.ExecuteSqlRawAsync("""LOCK TABLE "SummaryChanges" IN EXCLUSIVE MODE""", cancellationToken);
        }
    }

    /// <summary>The month table for <paramref name="zone"/>, and the summaries from all rows; returns the number of customers.</summary>
    private async Task<int> BuildAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        await db.ReportMonths.ExecuteDeleteAsync(cancellationToken);
        await db.SummaryStates.Where(s => s.Name == SummaryState.Reports).ExecuteDeleteAsync(cancellationToken);
        var months = Enumerable.Range(0, (EndYear - FirstYear) * 12).Select(i => new DateOnly(FirstYear, 1, 1).AddMonths(i));
        db.ReportMonths.AddRange(months.Select(m => new ReportMonth { Number = Number(m), StartsAt = ThankYouRules.StartOfDay(m, zone) }));
        db.SummaryStates.Add(new SummaryState { Name = SummaryState.Reports, TimeZone = zone.Id });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        foreach (var (table, insert) in Summaries(column => $"{column} IS NOT NULL"))
        {
            var delete = $"""DELETE FROM "{table}" """;
            await db.Database.ExecuteSqlRawAsync(delete, cancellationToken);
            await db.Database.ExecuteSqlRawAsync(insert, cancellationToken);
        }

        await db.SummaryChanges.ExecuteDeleteAsync(cancellationToken);
        return await db.Customers.CountAsync(cancellationToken);
    }
}
