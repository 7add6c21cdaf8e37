using FeedbackHub.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Entities written through <see cref="BulkInsert"/> exactly as EF Core would store them: the table,
/// columns and value conversions (UTC ticks and scaled money on SQLite, enums as text) come from the
/// app's own model, so bulk-loaded rows read back like rows the app saved. Ids and keys must be set
/// beforehand; computed columns are left to the database.
/// </summary>
internal sealed class EntityBulkInsert<T>
    where T : class
{
    private readonly string _table;
    private readonly IReadOnlyList<Column> _columns;

    public EntityBulkInsert(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        _table = entity.GetTableName()!;
        var table = StoreObjectIdentifier.Table(_table, entity.GetSchema());
        _columns = [.. entity.GetProperties()
            .Where(p => p.GetComputedColumnSql() is null)
            .Select(p => new Column(
                p.GetColumnName(table)!,
                p.PropertyInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} is a shadow property; bulk loading cannot fill it."),
                p.GetTypeMapping().Converter,
                // Npgsql names types without their length or precision: "character varying", "numeric".
                p.GetColumnType().Split('(')[0]))];
    }

    public void Sqlite(SqliteConnection connection, IEnumerable<T> rows) =>
        BulkInsert.Sqlite(connection, _table, [.. _columns.Select(c => c.Name)], rows, (row, parameters) =>
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                parameters[i].Value = _columns[i].Read(row) ?? DBNull.Value;
            }
        });

    public Task PostgresAsync(NpgsqlConnection connection, IEnumerable<T> rows) =>
        BulkInsert.PostgresAsync(connection, _table, [.. _columns.Select(c => c.Name)], rows, async (copy, row) =>
        {
            foreach (var column in _columns)
            {
                if (column.Read(row) is { } value)
                {
                    await copy.WriteAsync(value, column.StoreType);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
            }
        });

    private sealed record Column(string Name, System.Reflection.PropertyInfo Property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string StoreType)
    {
        /// <summary>The value as the database stores it.</summary>
        public object? Read(T row)
        {
            var value = Property.GetValue(row);
            return value is null || Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }
}
