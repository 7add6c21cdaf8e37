using System.Data;
using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Keeps <see cref="CustomerMonth"/> (each customer's first-order month and every month they ordered in) up to
/// date, so the cohort heat map counts summary rows instead of grouping every order. Triggers on <c>Orders</c>
/// list the customers whose orders changed (<see cref="CohortChange"/>); <see cref="CatchUpAsync"/> recounts
/// just those customers' months, set-based in the database, before a cohort figure is read. Months are the
/// shop's calendar months: an order's month is the last <see cref="ReportMonth"/> that starts at or before
/// it, and the summary is built again from all orders when it was built for another time zone.
/// </summary>
public sealed class CohortSummary(AppDbContext db, DatabaseSettings settings)
{
    /// <summary>Orders before this year or from this year on have no month and count in no cohort.</summary>
    public const int FirstYear = 1970, EndYear = 2200;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A month's number in the summary: year × 12 + month − 1.</summary>
    public static int Number(DateOnly month) => (month.Year * 12) + month.Month - 1;

    /// <summary>
    /// Brings the summary up to date with every committed order change, for months in <paramref name="zone"/>;
    /// returns how many changes it counted (building from all orders counts as one per customer with orders).
    /// </summary>
    public async Task<int> CatchUpAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (await IsBuiltForAsync(zone, cancellationToken) && !await db.CohortChanges.AnyAsync(cancellationToken))
        {
            return 0;
        }

        // A first build after an upgrade or a large import groups every order once: more than a page's usual timeout.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(BuildTimeout);
        try
        {
            var counted = 0;
            if (!await IsBuiltForAsync(zone, cancellationToken))
            {
                // Built without holding up order writes, from one snapshot (repeatable read on PostgreSQL; SQLite's
                // one writer gives the same): the changes it empties from the list are those its orders include, and
                // a change that commits meanwhile stays listed for the pass below.
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
            const string changed = """SELECT "CustomerId" FROM "CohortChanges" """;
            counted += await db.CohortChanges.CountAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync($"""DELETE FROM "CustomerMonths" WHERE "CustomerId" IN ({changed})""", cancellationToken);
            await db.Database.ExecuteSqlRawAsync(Insert($"""WHERE o."CustomerId" IN ({changed})"""), cancellationToken);
            await db.CohortChanges.ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return counted;
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    /// <summary>
    /// Forgets the summary, so the next catch-up builds it from all orders: for loads that bypass the
    /// triggers (PostgreSQL bulk loads with triggers off).
    /// </summary>
    public async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await db.SummaryStates.Where(s => s.Name == SummaryState.Cohorts).ExecuteDeleteAsync(cancellationToken);
    }

    private Task<bool> IsBuiltForAsync(TimeZoneInfo zone, CancellationToken cancellationToken) =>
        db.SummaryStates.AnyAsync(s => s.Name == SummaryState.Cohorts && s.TimeZone == zone.Id, cancellationToken);

    private enum ChangesLock
    {
        /// <summary>Order writes go on (a build, which reads all orders once).</summary>
        Free,

        /// <summary>Order writes wait until the transaction ends (the pass over the listed changes, which empties the list).</summary>
        Held,
    }

    /// <summary>
    /// One catch-up at a time, across nodes. On PostgreSQL the summary's state row table is the catch-ups'
    /// lock, and holding the change list waits for every uncommitted order write, so none is emptied from
    /// the list before it is counted. SQLite has one writer: a first write takes the database's lock.
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
            await db.Database.ExecuteSqlRawAsync("""LOCK TABLE "CohortChanges" IN EXCLUSIVE MODE""", cancellationToken);
        }
    }

    /// <summary>The month table for <paramref name="zone"/>, and the summary from all orders.</summary>
    private async Task<int> BuildAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        await db.ReportMonths.ExecuteDeleteAsync(cancellationToken);
        await db.CustomerMonths.ExecuteDeleteAsync(cancellationToken);
        await db.SummaryStates.Where(s => s.Name == SummaryState.Cohorts).ExecuteDeleteAsync(cancellationToken);
        var months = Enumerable.Range(0, (EndYear - FirstYear) * 12).Select(i => new DateOnly(FirstYear, 1, 1).AddMonths(i));
        db.ReportMonths.AddRange(months.Select(m => new ReportMonth { Number = Number(m), StartsAt = ThankYouRules.StartOfDay(m, zone) }));
        db.SummaryStates.Add(new SummaryState { Name = SummaryState.Cohorts, TimeZone = zone.Id });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await db.Database.ExecuteSqlRawAsync(Insert(""), cancellationToken);
        await db.CohortChanges.ExecuteDeleteAsync(cancellationToken);
        return await db.CustomerMonths.Select(m => m.CustomerId).Distinct().CountAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts the months of the orders that <paramref name="where"/> keeps, each customer's rows with the
    /// customer's first month. An order's month is one seek down the month starts' index (MAX(Number) over
    /// the earlier starts would read every earlier month for each order). Fixed SQL only; nothing from
    /// outside is interpolated.
    /// </summary>
    private static string Insert(string where) => $"""
        WITH months AS (
            SELECT DISTINCT o."CustomerId",
                   (SELECT r."Number" FROM "ReportMonths" AS r WHERE r."StartsAt" <= o."PlacedAt" ORDER BY r."StartsAt" DESC LIMIT 1) AS "Month"
            FROM "Orders" AS o
            {where}
        )
        INSERT INTO "CustomerMonths" ("CustomerId", "FirstMonth", "Month")
        SELECT m."CustomerId", MIN(m."Month") OVER (PARTITION BY m."CustomerId"), m."Month"
        FROM months AS m
        WHERE m."Month" IS NOT NULL
        """;
}
