using System.Globalization;
using FeedbackHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Testing;

/// <summary>
/// Row counts of every table the model maps, and the newest change of the change-tracked ones: taken
/// before and after a group of requests, it proves that nothing half-written stayed behind and nothing
/// stored was lost or duplicated.
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<Dictionary<string, string>> TakeAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            snapshot[table] = Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
        }

        snapshot["Customers.UpdatedAt"] = (await db.Customers.MaxAsync(c => (DateTimeOffset?)c.UpdatedAt))?.ToString("O", CultureInfo.InvariantCulture) ?? "none";
        snapshot["Orders.UpdatedAt"] = (await db.Orders.MaxAsync(o => (DateTimeOffset?)o.UpdatedAt))?.ToString("O", CultureInfo.InvariantCulture) ?? "none";
        return snapshot;
    }

    /// <summary>Every entry that differs, as "Table: before → after", leaving out the tables named in <paramref name="mayChange"/>.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, params string[] mayChange)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return [.. before.Where(b => !mayChange.Contains(b.Key) && after.GetValueOrDefault(b.Key) != b.Value).Select(b => $"{b.Key}: {b.Value} → {after.GetValueOrDefault(b.Key)}")];
    }

    /// <summary>How many rows appeared or disappeared in total (change-time entries left out).</summary>
    public static int RowsChanged(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, params string[] mayChange)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return (int)before.Where(b => !b.Key.Contains('.', StringComparison.Ordinal) && !mayChange.Contains(b.Key))
            .Sum(b => Math.Abs(long.Parse(after.GetValueOrDefault(b.Key, "0"), CultureInfo.InvariantCulture) - long.Parse(b.Value, CultureInfo.InvariantCulture)));
    }
}
