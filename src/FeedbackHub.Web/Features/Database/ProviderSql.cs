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
    private const long MoneyScale = (long)SqliteStorage.MoneyScale;

    private bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public object Time(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : SqliteStorage.Ticks(value);

    /// <summary>Fractional days from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public string Days(string later, string earlier) => IsPostgres
        ? $"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)"
        : $"((({later}) - ({earlier})) / {TicksPerDay}.0)";

    public string AddDays(string time, string days) => IsPostgres
        ? $"({time} + ({days}) * INTERVAL '1 day')"
        : $"({time} + ({days}) * {TicksPerDay})";

    /// <summary>Whole days, rounded down (arguments here are never negative).</summary>
    public string Floor(string value) => IsPostgres ? $"CAST(FLOOR({value}) AS integer)" : $"CAST({value} AS INTEGER)";

    public string Ceiling(string value) => IsPostgres
        ? $"CAST(CEIL({value}) AS integer)"
        : $"(CAST({value} AS INTEGER) + (({value}) > CAST({value} AS INTEGER)))";

    /// <summary>
    /// A money amount as whole ten-thousandths (a 64-bit integer): how SQLite stores money already, so both
    /// databases hand back the same exact integer for the caller to scale with <see cref="SqliteStorage.FromMoney"/>.
    /// </summary>
    public string ScaledMoney(string amount) => IsPostgres ? $"CAST(ROUND(({amount}) * {MoneyScale}) AS bigint)" : amount;

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
