using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Benchmarks;

/// <summary>The reports' common inputs for one measured run: the database and the 12 months ending with <see cref="LastMonth"/>.</summary>
internal sealed record AnalyticsRun(AppDbContext Db, DatabaseSettings Settings, DateOnly LastMonth, int Months, TimeZoneInfo Zone)
{
    public ProviderSql Sql => new(Settings.Provider);

    public ReportSummaries Summaries => new(Db, Settings, Options.Create(new EmailOptions { DefaultTimeZone = Zone.Id }));

    /// <summary>The reports' "now": the end of the demo history, so every run counts the same matured campaign windows.</summary>
    public TimeProvider Clock { get; } = new FakeTimeProvider(DemoWorld.EndOf(LastMonth));

    /// <summary>What the pages that open one item show, chosen from the data before anything is measured (<see cref="AnalyticsPages.PickAsync"/>).</summary>
    public AnalyticsPicks Picks { get; init; } = new(0, ChurnReasonReport.Unknown, 0);

    /// <summary>A moment as the floors give it (their builder's <c>Instant</c>): ticks on SQLite, microseconds since 1970 on PostgreSQL; empty for none.</summary>
    public string Instant(DateTimeOffset? moment) => moment is not { } m ? ""
        : Settings.Provider == DatabaseProvider.Sqlite ? m.UtcTicks.ToString(CultureInfo.InvariantCulture)
        : ((m.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture);

    public MonthBuckets Buckets { get; } = MonthBuckets.Ending(LastMonth, Months, Zone);

    /// <summary>The whole range as one period, as a page's date picker would give it.</summary>
    public ReportPeriod Period => ReportPeriod.Custom(Buckets.Months[0].FirstDay, Buckets.Months[^1].LastDay, Zone);

    /// <summary>Runs a floor statement; every row as its values joined by '|'.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(FloorQuery floor)
    {
        ArgumentNullException.ThrowIfNull(floor);
        var connection = Db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = floor.Sql;
        command.CommandTimeout = 0;
        for (var i = 0; i < floor.Values.Count; i++)
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = ($"@p{i}", floor.Values[i]);
            command.Parameters.Add(parameter);
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}

/// <summary>One hand-written statement and its parameter values (<c>@p0</c>, <c>@p1</c>, …).</summary>
internal sealed record FloorQuery(string Sql, IReadOnlyList<object> Values);

/// <summary>The churn chart's bar whose customers the drill-down lists (month index, reason), and the customer whose page opens.</summary>
internal sealed record AnalyticsPicks(int ChurnMonth, string ChurnReason, long CustomerId);

/// <summary>
/// A set of numbers a page shows, got twice: through the report the page calls, and through one
/// hand-written statement (the floor). Both give rows as text (values joined by '|'), compared as sets.
/// </summary>
internal sealed record AnalyticsFigure(string Name, Func<AnalyticsRun, Task<IReadOnlyList<string>>> Report, Func<AnalyticsRun, FloorQuery> Floor);

/// <summary>A dashboard page: the figures it loads, one after the other.</summary>
internal sealed record AnalyticsPage(string Name, IReadOnlyList<AnalyticsFigure> Figures);

/// <summary>
/// The dashboard pages the analytics benchmark measures. A new page is one more entry in <see cref="All"/>:
/// its figures, each a report call and the floor statement that computes the same rows.
/// </summary>
internal static partial class AnalyticsPages
{
    public static IReadOnlyList<AnalyticsPage> All { get; } =
    [
        new("Overview", [Retention()]),
        new("Cohorts", [Cohorts()]),
        new("Churn reasons", [ChurnReasons(), SurveyFunnel(), ChurnedCustomers()]),
        new("Campaigns", [Campaigns(), DiscountDependency(), NotWorthAnOffer()]),
        new("Customers", [CustomerSearch(null), CustomerSearch(SearchText), CustomerProfile()]),
    ];

    /// <summary>
    /// The churn chart's largest bar (most customers; the first month and reason on a tie), and the first
    /// customer with something in every part of the customer page: an answered exit survey, a campaign group and a discount code.
    /// </summary>
    public static async Task<AnalyticsPicks> PickAsync(AnalyticsRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var largest = (await run.QueryAsync(ChurnReasons().Floor(run)))
            .Select(row => row.Split('|'))
            .OrderByDescending(cell => long.Parse(cell[2], CultureInfo.InvariantCulture))
            .ThenBy(cell => int.Parse(cell[0], CultureInfo.InvariantCulture)).ThenBy(cell => cell[1], StringComparer.Ordinal)
            .First();
        var customer = await run.QueryAsync(new FloorQuery("""
            SELECT MIN(r."CustomerId") FROM "SurveyResponses" AS r
            WHERE r."CustomerId" IN (SELECT a."CustomerId" FROM "CampaignAssignments" AS a)
              AND r."CustomerId" IN (SELECT d."CustomerId" FROM "DiscountCodes" AS d)
            """, []));
        return new AnalyticsPicks(int.Parse(largest[0], CultureInfo.InvariantCulture), largest[1], long.Parse(customer[0], CultureInfo.InvariantCulture));
    }

    /// <summary>The period beside the one before it (rows 0 and 1), and each month of the trend chart (rows 2 to 13).</summary>
    private static AnalyticsFigure Retention() => new(
        "retention: period, previous period, each month",
        async run =>
        {
            var overview = await new RetentionReport(run.Db).OverviewAsync(run.Period, run.Buckets, run.Zone, CustomerFilter.All, CancellationToken.None);
            return [Row(overview.Trend.Previous, 0), Row(overview.Trend.Figure, 1), .. overview.Months.Select((m, i) => Row(m, i + 2))];
        },
        run =>
        {
            var previous = run.Period.Previous(run.Zone);
            IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> periods =
                [(previous.Start, previous.End), (run.Period.Start, run.Period.End), .. run.Buckets.Months.Select(m => (m.Start, m.End))];
            return RetentionFloor(run, periods);
        });

    private static AnalyticsFigure Cohorts() => new(
        "cohorts",
        async run =>
        {
            var cohorts = await new CohortReport(run.Db, run.Summaries).CohortsAsync(run.LastMonth, run.Months, run.Zone, CustomerFilter.All, CancellationToken.None);
            return [.. cohorts.SelectMany((c, cohort) => c.Active.Select((active, later) => (active, later))
                .Where(a => a.active > 0).Select(a => Invariant($"{cohort}|{cohort + a.later}|{a.active}")))];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            return floor.Build($"""
                WITH firsts AS (
                    SELECT o."CustomerId", MIN(o."PlacedAt") AS first_at FROM "Orders" AS o GROUP BY o."CustomerId"
                    HAVING MIN(o."PlacedAt") >= {floor.Time(run.Buckets.Start)} AND MIN(o."PlacedAt") < {floor.Time(run.Buckets.End)}
                )
                SELECT {floor.Month("f.first_at")}, {floor.Month("o.\"PlacedAt\"")}, COUNT(DISTINCT o."CustomerId")
                FROM firsts AS f JOIN "Orders" AS o ON o."CustomerId" = f."CustomerId"
                WHERE o."PlacedAt" < {floor.Time(run.Buckets.End)}
                GROUP BY 1, 2
                """);
        });

    private static AnalyticsFigure ChurnReasons() => new(
        "churned customers by reason per month",
        async run =>
        {
            var months = await new ChurnReasonReport(run.Db, run.Summaries).MonthsAsync(run.LastMonth, run.Months, run.Zone, CustomerFilter.All, CancellationToken.None);
            return [.. months.SelectMany((m, index) => m.Customers.Select(c => Invariant($"{index}|{c.Key}|{c.Value}")))];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            return floor.Build($"""
                SELECT {floor.Month("e.\"ChurnedAt\"")}, COALESCE(r."EffectiveReason", '{ChurnReasonReport.Unknown}'), COUNT(DISTINCT e."CustomerId")
                FROM "ChurnEvents" AS e
                LEFT JOIN "SurveyInvitations" AS i ON i."ChurnEventId" = e."Id"
                LEFT JOIN "SurveyResponses" AS r ON r."InvitationId" = i."Id"
                WHERE e."ChurnedAt" >= {floor.Time(run.Buckets.Start)} AND e."ChurnedAt" < {floor.Time(run.Buckets.End)}
                GROUP BY 1, 2
                """);
        });

    /// <summary>
    /// Retention for each period in one statement: customers acquired before each moment a period starts
    /// or ends at, less those with a churn event open at it. Rows: period index, at start, new, at end.
    /// </summary>
    private static FloorQuery RetentionFloor(AnalyticsRun run, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> periods)
    {
        var floor = new FloorBuilder(run);
        var moments = periods.SelectMany(p => new[] { p.Start, p.End }).Distinct().Order().ToList();
        var values = string.Join(", ", moments.Select((m, i) => Invariant($"({i}, {floor.Time(m)})")));
        var pairs = string.Join(", ", periods.Select((p, k) => Invariant($"({k}, {moments.IndexOf(p.Start)}, {moments.IndexOf(p.End)})")));
        return floor.Build($"""
            WITH moments (i, moment) AS (VALUES {values}),
            periods (k, s, e) AS (VALUES {pairs}),
            acquired AS (
                SELECT m.i, COUNT(c."Id") AS n FROM moments AS m LEFT JOIN "Customers" AS c ON c."AcquiredAt" < m.moment GROUP BY m.i
            ),
            lost AS (
                SELECT m.i, COUNT(DISTINCT e."CustomerId") AS n
                FROM moments AS m
                JOIN "ChurnEvents" AS e ON e."ChurnedAt" <= m.moment AND (e."WonBackAt" IS NULL OR e."WonBackAt" > m.moment)
                JOIN "Customers" AS c ON c."Id" = e."CustomerId" AND c."AcquiredAt" < m.moment
                GROUP BY m.i
            ),
            counts AS (SELECT a.i, a.n AS acquired, a.n - COALESCE(l.n, 0) AS active FROM acquired AS a LEFT JOIN lost AS l ON l.i = a.i)
            SELECT p.k, s.active, e.acquired - s.acquired, e.active
            FROM periods AS p JOIN counts AS s ON s.i = p.s JOIN counts AS e ON e.i = p.e
            """);
    }

    private static string Row(RetentionFigure figure, int index) => Invariant($"{index}|{figure.AtStart}|{figure.New}|{figure.AtEnd}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Collects a floor statement's parameter values while its text is written.</summary>
    private sealed class FloorBuilder(AnalyticsRun run)
    {
        private readonly List<object> _values = [];

        /// <summary>A moment as the provider stores it, as a parameter.</summary>
        public string Time(DateTimeOffset moment)
        {
            _values.Add(run.Sql.Time(moment));
            return $"@p{_values.Count - 1}";
        }

        /// <summary>The index of the report month a moment falls in, over the months' real UTC boundaries (the moment lies in the range).</summary>
        public string Month(string column)
        {
            var months = run.Buckets.Months;
            var whens = months.Take(months.Count - 1).Select((m, i) => Invariant($"WHEN {column} < {Time(m.End)} THEN {i} "));
            return $"CASE {string.Concat(whens)}ELSE {months.Count - 1} END";
        }

        /// <summary>Any value, as a parameter.</summary>
        public string Value(object value)
        {
            _values.Add(value);
            return $"@p{_values.Count - 1}";
        }

        /// <summary>A stored moment as a whole number, the way <see cref="AnalyticsRun.Instant"/> writes the report's.</summary>
        public string Instant(string column) => run.Settings.Provider == DatabaseProvider.Sqlite
            ? column
            : $"CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS bigint)";

        /// <summary>Values as one text column joined by '|', a null as empty: for statements whose parts give rows of different shapes.</summary>
        public static string Joined(params string[] columns) =>
            string.Join(" || '|' || ", columns.Select(c => $"COALESCE(CAST({c} AS text), '')"));

        public FloorQuery Build(string sql) => new(sql, _values);
    }
}
