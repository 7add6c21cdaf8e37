using System.Data.Common;
using FeedbackHub.Data.Database;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackHub.Web.Features.Ingest;

/// <summary>
/// Stores validated records set-based: the rows of a chunk go into a temporary staging table (one
/// prepared statement on SQLite, binary COPY on PostgreSQL), then one UPDATE changes the rows whose
/// content differs and one INSERT adds the new ones, all in one transaction. A chunk is therefore
/// stored whole or not at all, unchanged rows are never written, and re-sending changes nothing.
/// Keys within one call must be unique (the caller keeps the last of duplicates). A dry run rolls the
/// transaction back, so it reports exactly what a real run would do and stores nothing.
/// </summary>
internal sealed class IngestWriter(DbConnection connection, DatabaseProvider provider, bool dryRun)
{

    private bool IsPostgres => provider == DatabaseProvider.Postgres;

    private string Distinct => IsPostgres ? "IS DISTINCT FROM" : "IS NOT";

    public async Task<IngestOutcome[]> WriteCustomersAsync(IReadOnlyList<CustomerRecord> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staging = new Staging("ingest_customers",
        [
            new("external_id", "text", NpgsqlDbType.Text), new("email", "text", NpgsqlDbType.Text),
            new("first_name", "text", NpgsqlDbType.Text), new("last_name", "text", NpgsqlDbType.Text),
            new("locale", "text", NpgsqlDbType.Text), new("time_zone", "text", NpgsqlDbType.Text),
            new("consent", IsPostgres ? "boolean" : "integer", NpgsqlDbType.Boolean),
            new("consent_source", "text", NpgsqlDbType.Text), Timestamp("consent_at"),
        ]);
        var changedConsent = "s.consent IS NOT NULL AND s.consent <> t.\"MarketingConsent\"";
        var update = $"""
            UPDATE "Customers" AS t SET
                "Email" = s.email,
                "FirstName" = CASE WHEN s.first_name IS NULL THEN t."FirstName" ELSE NULLIF(s.first_name, '') END,
                "LastName" = CASE WHEN s.last_name IS NULL THEN t."LastName" ELSE NULLIF(s.last_name, '') END,
                "Locale" = COALESCE(s.locale, t."Locale"),
                "TimeZone" = COALESCE(s.time_zone, t."TimeZone"),
                "MarketingConsent" = COALESCE(s.consent, t."MarketingConsent"),
                "MarketingConsentSource" = CASE WHEN {changedConsent} THEN s.consent_source ELSE t."MarketingConsentSource" END,
                "MarketingConsentAt" = CASE WHEN {changedConsent} THEN s.consent_at ELSE t."MarketingConsentAt" END,
                "UpdatedAt" = @now
            FROM ingest_customers AS s
            WHERE t."ExternalId" = s.external_id AND (
                t."Email" {Distinct} s.email
                OR (s.first_name IS NOT NULL AND t."FirstName" {Distinct} NULLIF(s.first_name, ''))
                OR (s.last_name IS NOT NULL AND t."LastName" {Distinct} NULLIF(s.last_name, ''))
                OR (s.locale IS NOT NULL AND t."Locale" {Distinct} s.locale)
                OR (s.time_zone IS NOT NULL AND t."TimeZone" {Distinct} s.time_zone)
                OR ({changedConsent}))
            RETURNING {UpdatedKey}
            """;
        var insert = $"""
            INSERT INTO "Customers" ("ExternalId", "Email", "FirstName", "LastName", "Locale", "TimeZone",
                "MarketingConsent", "MarketingConsentSource", "MarketingConsentAt", "CreatedAt", "UpdatedAt")
            SELECT s.external_id, s.email, NULLIF(s.first_name, ''), NULLIF(s.last_name, ''), COALESCE(s.locale, 'en'),
                COALESCE(s.time_zone, 'Europe/Amsterdam'), COALESCE(s.consent, FALSE),
                CASE WHEN s.consent IS NOT NULL THEN s.consent_source END, CASE WHEN s.consent IS NOT NULL THEN s.consent_at END, @now, @now
            FROM ingest_customers AS s
            WHERE NOT EXISTS (SELECT 1 FROM "Customers" AS t WHERE t."ExternalId" = s.external_id)
            {OnConflict}
            RETURNING "ExternalId"
            """;
        return await WriteAsync(staging, rows, r => r.ExternalId,
            r => [r.ExternalId, r.Email, r.FirstName, r.LastName, r.Locale, r.TimeZone, r.MarketingConsent, r.ConsentSource, Time(r.ConsentAt)],
            unknownCustomerQuery: null, update, insert, now, cancellationToken);
    }

    /// <summary>
    /// Stores orders; <c>afterWrite</c> runs after they are written and before they commit (never in a
    /// dry run), with the keys inserted and those updated, so what follows from new orders (a
    /// thank-you, a used code) is stored with them or not at all.
    /// </summary>
    public async Task<IngestOutcome[]> WriteOrdersAsync(
        IReadOnlyList<OrderRecord> rows, DateTimeOffset now, AfterWrite? afterWrite, CancellationToken cancellationToken)
    {
        var staging = new Staging("ingest_orders",
        [
            new("external_id", "text", NpgsqlDbType.Text), new("customer_external_id", "text", NpgsqlDbType.Text),
            Timestamp("placed_at"), new("total", IsPostgres ? "numeric(18,4)" : "integer", NpgsqlDbType.Numeric),
            new("currency", "text", NpgsqlDbType.Text), new("discount_code", "text", NpgsqlDbType.Text),
            new("item_count", "integer", NpgsqlDbType.Integer),
        ]);
        var update = $"""
            UPDATE "Orders" AS t SET
                "CustomerId" = c."Id", "PlacedAt" = s.placed_at, "Total" = s.total, "Currency" = s.currency,
                "DiscountCode" = s.discount_code, "ItemCount" = s.item_count, "UpdatedAt" = @now
            FROM ingest_orders AS s JOIN "Customers" AS c ON c."ExternalId" = s.customer_external_id
            WHERE t."ExternalId" = s.external_id AND (
                t."CustomerId" <> c."Id" OR t."PlacedAt" <> s.placed_at OR t."Total" <> s.total OR t."Currency" <> s.currency
                OR t."DiscountCode" {Distinct} s.discount_code OR t."ItemCount" <> s.item_count)
            RETURNING {UpdatedKey}
            """;
        var insert = $"""
            INSERT INTO "Orders" ("ExternalId", "CustomerId", "PlacedAt", "Total", "Currency", "DiscountCode", "ItemCount", "CreatedAt", "UpdatedAt")
            SELECT s.external_id, c."Id", s.placed_at, s.total, s.currency, s.discount_code, s.item_count, @now, @now
            FROM ingest_orders AS s JOIN "Customers" AS c ON c."ExternalId" = s.customer_external_id
            WHERE NOT EXISTS (SELECT 1 FROM "Orders" AS t WHERE t."ExternalId" = s.external_id)
            {OnConflict}
            RETURNING "ExternalId"
            """;
        // PostgreSQL does it in one statement: its unique index settles concurrent writers, and
        // xmax = 0 tells a fresh row from an updated one.
        var upsert = """
            INSERT INTO "Orders" ("ExternalId", "CustomerId", "PlacedAt", "Total", "Currency", "DiscountCode", "ItemCount", "CreatedAt", "UpdatedAt")
            SELECT s.external_id, c."Id", s.placed_at, s.total, s.currency, s.discount_code, s.item_count, @now, @now
            FROM ingest_orders AS s JOIN "Customers" AS c ON c."ExternalId" = s.customer_external_id
            ON CONFLICT ("ExternalId") DO UPDATE SET
                "CustomerId" = excluded."CustomerId", "PlacedAt" = excluded."PlacedAt", "Total" = excluded."Total",
                "Currency" = excluded."Currency", "DiscountCode" = excluded."DiscountCode", "ItemCount" = excluded."ItemCount",
                "UpdatedAt" = excluded."UpdatedAt"
            WHERE ("Orders"."CustomerId", "Orders"."PlacedAt", "Orders"."Total", "Orders"."Currency", "Orders"."DiscountCode", "Orders"."ItemCount")
                IS DISTINCT FROM (excluded."CustomerId", excluded."PlacedAt", excluded."Total", excluded."Currency", excluded."DiscountCode", excluded."ItemCount")
            RETURNING "ExternalId", xmax = 0
            """;
        return await WriteAsync(staging, rows, r => r.ExternalId,
            r => [r.ExternalId, r.CustomerExternalId, Time(r.PlacedAt), Money(r.Total), r.Currency, r.DiscountCode, r.ItemCount],
            UnknownCustomers("ingest_orders"), IsPostgres ? null : update, IsPostgres ? upsert : insert, now, cancellationToken, afterWrite);
    }

    /// <summary>Stores subscription events; <c>afterWrite</c> runs after they are written and before they commit.</summary>
    public async Task<IngestOutcome[]> WriteSubscriptionEventsAsync(
        IReadOnlyList<SubscriptionEventRecord> rows, DateTimeOffset now, AfterWrite? afterWrite, CancellationToken cancellationToken)
    {
        var staging = new Staging("ingest_subscription_events",
        [
            new("external_id", "text", NpgsqlDbType.Text), new("customer_external_id", "text", NpgsqlDbType.Text),
            new("kind", "text", NpgsqlDbType.Text), Timestamp("occurred_at"),
        ]);
        // Events are facts: a replay (same event id) changes nothing, so there is no update.
        var insert = $"""
            INSERT INTO "SubscriptionEvents" ("EventId", "CustomerId", "Kind", "OccurredAt", "ReceivedAt")
            SELECT s.external_id, c."Id", s.kind, s.occurred_at, @now
            FROM ingest_subscription_events AS s JOIN "Customers" AS c ON c."ExternalId" = s.customer_external_id
            WHERE NOT EXISTS (SELECT 1 FROM "SubscriptionEvents" AS t WHERE t."EventId" = s.external_id)
            {(IsPostgres ? "ON CONFLICT (\"EventId\") DO NOTHING" : "")}
            RETURNING "EventId"
            """;
        return await WriteAsync(staging, rows, r => r.EventId,
            r => [r.EventId, r.CustomerExternalId, r.Kind.ToString(), Time(r.OccurredAt)],
            UnknownCustomers("ingest_subscription_events"), update: null, insert, now, cancellationToken, afterWrite);
    }

    /// <summary>SQLite's RETURNING may name only the updated table, unqualified; PostgreSQL must qualify it beside the joined customers.</summary>
    private string UpdatedKey => IsPostgres ? "t.\"ExternalId\"" : "\"ExternalId\"";

    private string OnConflict => IsPostgres ? "ON CONFLICT (\"ExternalId\") DO NOTHING" : "";

    private static string UnknownCustomers(string staging) =>
        $"""SELECT s.external_id FROM {staging} AS s WHERE NOT EXISTS (SELECT 1 FROM "Customers" AS c WHERE c."ExternalId" = s.customer_external_id)""";

    private StagingColumn Timestamp(string name) =>
        new(name, IsPostgres ? "timestamptz" : "integer", NpgsqlDbType.TimestampTz);

    private object? Time(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : SqliteStorage.Ticks(value);

    private object Money(decimal value) => IsPostgres ? value : SqliteStorage.Money(value);

    private async Task<IngestOutcome[]> WriteAsync<T>(
        Staging staging, IReadOnlyList<T> rows, Func<T, string> key, Func<T, object?[]> values,
        string? unknownCustomerQuery, string? update, string insert, DateTimeOffset now, CancellationToken cancellationToken,
        AfterWrite? afterWrite = null)
    {
        var outcomes = new IngestOutcome[rows.Count];
        Array.Fill(outcomes, IngestOutcome.Unchanged);
        if (rows.Count == 0)
        {
            return outcomes;
        }

        var index = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            index.Add(key(rows[i]), i);
        }

        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FillStagingAsync(staging, rows, values, transaction, cancellationToken);
        if (unknownCustomerQuery is not null)
        {
            await MarkAsync(unknownCustomerQuery, IngestOutcome.Rejected);
        }

        if (update is not null)
        {
            await MarkAsync(update, IngestOutcome.Updated);
        }

        // An upsert returns (key, inserted); a plain insert returns the key alone.
        await MarkAsync(insert, IngestOutcome.Inserted);
        if (update is not null && IsPostgres)
        {
            // A concurrent request may have inserted one of our keys after our UPDATE looked; its
            // insert then did nothing here, so apply our content to that row now.
            await MarkAsync(update, IngestOutcome.Updated);
        }

        if (dryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else if (afterWrite is not null)
        {
            var inserted = rows.Where((_, i) => outcomes[i] == IngestOutcome.Inserted).Select(key).ToList();
            var updated = rows.Where((_, i) => outcomes[i] == IngestOutcome.Updated).Select(key).ToList();
            await afterWrite(transaction, inserted, updated, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return outcomes;

        async Task MarkAsync(string sql, IngestOutcome outcome)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            AddParameter(command, "now", Time(now));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                outcomes[index[reader.GetString(0)]] = reader.FieldCount > 1 && !reader.GetBoolean(1) ? IngestOutcome.Updated : outcome;
            }
        }
    }

    private async Task FillStagingAsync<T>(
        Staging staging, IReadOnlyList<T> rows, Func<T, object?[]> values, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", staging.Columns.Select(c => $"{c.Name} {c.SqlType}"));
        await ExecuteAsync(IsPostgres
            ? $"CREATE TEMP TABLE IF NOT EXISTS {staging.Table} ({columns}) ON COMMIT DELETE ROWS"
            : $"CREATE TEMP TABLE IF NOT EXISTS {staging.Table} ({columns}); DELETE FROM {staging.Table};");
        if (connection is NpgsqlConnection npgsql)
        {
            await using (var importer = await npgsql.BeginBinaryImportAsync(
                $"COPY {staging.Table} ({string.Join(", ", staging.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    var rowValues = values(row);
                    for (var i = 0; i < rowValues.Length; i++)
                    {
                        await importer.WriteAsync(rowValues[i] ?? DBNull.Value, staging.Columns[i].NpgsqlType, cancellationToken);
                    }
                }

                await importer.CompleteAsync(cancellationToken);
            }

            // A temporary table has no statistics; without them the planner guesses its size and may pick nested loops.
            await ExecuteAsync($"ANALYZE {staging.Table}");
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {staging.Table} VALUES ({string.Join(", ", staging.Columns.Select((_, i) => "@p" + i))})";
        var parameters = staging.Columns.Select((_, i) => AddParameter(command, "p" + i, null)).ToArray();
        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            var rowValues = values(row);
            for (var i = 0; i < rowValues.Length; i++)
            {
                parameters[i].Value = rowValues[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        async Task ExecuteAsync(string sql)
        {
            await using var ddl = connection.CreateCommand();
            ddl.Transaction = transaction;
            ddl.CommandText = sql;
            await ddl.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public delegate Task AfterWrite(DbTransaction transaction, IReadOnlyList<string> inserted, IReadOnlyList<string> updated, CancellationToken cancellationToken);

    private sealed record StagingColumn(string Name, string SqlType, NpgsqlDbType NpgsqlType);

    private sealed record Staging(string Table, StagingColumn[] Columns);
}
