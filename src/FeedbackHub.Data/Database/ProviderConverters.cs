using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FeedbackHub.Data.Database;

/// <summary>
/// SQLite stores DateTimeOffset as text that it can neither order nor compare in SQL; UTC ticks sort
/// correctly, keep full precision and keep date filters and ORDER BY on the server.
/// </summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

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
    value => (long)decimal.Round(value * Scale, MidpointRounding.ToEven),
    stored => stored / Scale)
{
    /// <summary>Four decimal places, matching the precision declared for money columns.</summary>
    private const decimal Scale = 10_000m;
}
