using System.Text.Json;
using FeedbackHub.Data.Database;

namespace FeedbackHub.Web.Features.Database;

/// <summary>
/// The provider differences in hand-written SQL (churn detection, analytics). SQLite keeps times as UTC
/// ticks and money as scaled integers; PostgreSQL keeps timestamptz and numeric.
/// </summary>
public readonly record struct ProviderSql(DatabaseProvider Provider)
{
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    private static readonly long MoneyScale = (long)SqliteStorage.MoneyScale;

    private bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public object Time(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : SqliteStorage.Ticks(value);

    /// <summary>Fractional days from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public string Days(string later, string earlier) => IsPostgres
        ? $"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)"
        : $"((({later}) - ({earlier})) / {TicksPerDay}.0)";

    /// <summary>
    /// The moment <paramref name="days"/> × 24 hours later. Elapsed time, as SQLite's ticks are: PostgreSQL's
    /// <c>INTERVAL '24 hours'</c> would follow the session's time zone and make a day across a clock change 23 or 25 hours.
    /// </summary>
    public string AddDays(string time, string days) => IsPostgres
        ? $"({time} + ({days}) * INTERVAL '24 hours')"
        : $"({time} + ({days}) * {TicksPerDay})";

    /// <summary>
    /// A stored money (decimal) column, or a sum of one, as whole ten-thousandths in an integer, as SQLite already
    /// keeps it: sums stay exact on both databases and read back as a long for <see cref="SqliteStorage.FromMoney"/>.
    /// </summary>
    public string Money(string column) => IsPostgres ? $"CAST({column} * {MoneyScale} AS bigint)" : column;

    /// <summary>A stored decimal column as a plain number, for arithmetic such as a percentage.</summary>
    public string Number(string column) => IsPostgres ? column : $"({column} / {MoneyScale}.0)";

    /// <summary>Whole days, rounded down (arguments here are never negative).</summary>
    public string Floor(string value) => IsPostgres ? $"CAST(FLOOR({value}) AS integer)" : $"CAST({value} AS INTEGER)";

    public string Ceiling(string value) => IsPostgres
        ? $"CAST(CEIL({value}) AS integer)"
        : $"(CAST({value} AS INTEGER) + (({value}) > CAST({value} AS INTEGER)))";

    /// <summary>
    /// Goes after <c>FROM "Orders" AS o</c> in a query that groups by customer: read the orders in customer
    /// order. For a long period SQLite would otherwise take the PlacedAt index and sort a million customers'
    /// groups in a temporary b-tree, 30 times slower at 5,000,000 orders; PostgreSQL needs no help.
    /// </summary>
    public string OrdersByCustomer => IsPostgres ? "" : "INDEXED BY \"IX_Orders_CustomerId_PlacedAt\"";

    public string Greatest(string a, string b) => IsPostgres ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    /// <summary>The smaller of two nullable values, ignoring a null one.</summary>
    public string Least(string a, string b) => IsPostgres ? $"LEAST({a}, {b})" : $"COALESCE(MIN({a}, {b}), {a}, {b})";

    /// <summary>The UTC calendar date as yyyy-MM-dd text.</summary>
    public string Date(string time) => IsPostgres
        ? $"to_char({time} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        : $"strftime('%Y-%m-%d', ({time} - {DateTimeOffset.UnixEpoch.UtcTicks}) / {TimeSpan.TicksPerSecond}, 'unixepoch')";

    /// <summary>Per customer the median of the gaps CTE (the mean of the middle two for an even count).</summary>
    public string MedianGaps => IsPostgres
        ? """
          SELECT g."CustomerId", percentile_cont(0.5) WITHIN GROUP (ORDER BY g.gap) AS median_gap
          FROM gaps AS g WHERE g.gap IS NOT NULL GROUP BY g."CustomerId"
          """
        : """
          SELECT r."CustomerId", AVG(r.gap) AS median_gap
          FROM (SELECT g."CustomerId", g.gap,
                       ROW_NUMBER() OVER (PARTITION BY g."CustomerId" ORDER BY g.gap) AS rn,
                       COUNT(*) OVER (PARTITION BY g."CustomerId") AS n
                FROM gaps AS g WHERE g.gap IS NOT NULL) AS r
          WHERE r.rn IN ((r.n + 1) / 2, (r.n + 2) / 2)
          GROUP BY r."CustomerId"
          """;

    /// <summary>
    /// A condition limiting <paramref name="column"/> to the ids, passed as the parameter at
    /// <paramref name="position"/> (the last one, see <see cref="WithIds"/>); always true without ids.
    /// </summary>
    public string CustomerFilter(string column, int position, IReadOnlyCollection<long>? ids) =>
        ids is null ? "1 = 1"
        : IsPostgres ? $"{column} = ANY({{{position}}})"
        : $"{column} IN (SELECT value FROM json_each({{{position}}}))";

    /// <summary>The parameters followed by the id list (an array for PostgreSQL, JSON text for SQLite), when there is one.</summary>
    public object[] WithIds(object[] parameters, IReadOnlyCollection<long>? ids) =>
        ids is null ? parameters : [.. parameters, IsPostgres ? ids.ToArray() : JsonSerializer.Serialize(ids)];
}
