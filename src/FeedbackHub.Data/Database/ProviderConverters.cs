using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FeedbackHub.Data.Database;

/// <summary>
/// How values are stored in SQLite, for the model's converters and for bulk writers that bypass
/// EF Core: both must agree byte for byte.
/// </summary>
public static class SqliteStorage
{
    /// <summary>Four decimal places, matching the precision declared for money columns.</summary>
    public const decimal MoneyScale = 10_000m;

    public static long Ticks(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    public static long Money(decimal value) => (long)decimal.Round(value * MoneyScale, MidpointRounding.ToEven);

    public static decimal FromMoney(long stored) => stored / MoneyScale;
}

/// <summary>
/// SQLite stores DateTimeOffset as text that it can neither order nor compare in SQL; UTC ticks sort
/// correctly, keep full precision and keep date filters and ORDER BY on the server.
/// </summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => SqliteStorage.Ticks(value),
    ticks => SqliteStorage.FromTicks(ticks));

/// <summary>
/// PostgreSQL's timestamptz accepts only offset zero; normalising here means no caller can store a
/// local offset by accident.
/// </summary>
internal sealed class UtcNormalizingConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value);

/// <summary>
/// SQLite has no decimal type: EF Core would store text, which compares and sums wrongly in SQL.
/// Whole ten-thousandths in an integer keep money exact and let SUM, ORDER BY and CHECK work.
/// </summary>
internal sealed class ScaledDecimalConverter() : ValueConverter<decimal, long>(
    value => SqliteStorage.Money(value),
    stored => SqliteStorage.FromMoney(stored));
