using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CustomerAcquiredAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcquiredAt",
                table: "Customers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_AcquiredAt",
                table: "Customers",
                column: "AcquiredAt");

            // Kept by statement triggers so every way rows arrive (ingest, CSV import, EF Core, COPY) keeps it
            // right, one set-based UPDATE per statement. A bulk load with session_replication_role = replica
            // skips them and must fill the column itself.
            migrationBuilder.Sql($"UPDATE \"Customers\" AS c SET \"AcquiredAt\" = {FirstActivity};");
            foreach (var (table, column) in Sources)
            {
                migrationBuilder.Sql($"""
                    CREATE FUNCTION "{table}_AcquiredAt_Inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        UPDATE "Customers" AS c SET "AcquiredAt" = n.first_at
                        FROM (SELECT "CustomerId", MIN("{column}") AS first_at FROM inserted GROUP BY "CustomerId") AS n
                        WHERE c."Id" = n."CustomerId" AND (c."AcquiredAt" IS NULL OR c."AcquiredAt" > n.first_at);
                        RETURN NULL;
                    END $$;
                    CREATE TRIGGER "TR_{table}_AcquiredAt_Insert" AFTER INSERT ON "{table}"
                        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "{table}_AcquiredAt_Inserted"();
                    """);
                foreach (var (change, customers) in new[]
                {
                    ("Update", "SELECT \"CustomerId\" FROM old_rows UNION SELECT \"CustomerId\" FROM new_rows"),
                    ("Delete", "SELECT \"CustomerId\" FROM old_rows"),
                })
                {
                    var tables = change == "Update" ? "OLD TABLE AS old_rows NEW TABLE AS new_rows" : "OLD TABLE AS old_rows";
                    migrationBuilder.Sql($"""
                        CREATE FUNCTION "{table}_AcquiredAt_{change}d"() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            UPDATE "Customers" AS c SET "AcquiredAt" = {FirstActivity}
                            WHERE c."Id" IN ({customers}) AND c."AcquiredAt" IS DISTINCT FROM {FirstActivity};
                            RETURN NULL;
                        END $$;
                        CREATE TRIGGER "TR_{table}_AcquiredAt_{change}" AFTER {change.ToUpperInvariant()} ON "{table}"
                            REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION "{table}_AcquiredAt_{change}d"();
                        """);
                }
            }
        }

        private static readonly (string Table, string Column)[] Sources = [("Orders", "PlacedAt"), ("SubscriptionEvents", "OccurredAt")];

        /// <summary>The first order or subscription event of customer c, from scratch (LEAST ignores a null).</summary>
        private const string FirstActivity = """
            LEAST((SELECT MIN(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = c."Id"),
                  (SELECT MIN(s."OccurredAt") FROM "SubscriptionEvents" AS s WHERE s."CustomerId" = c."Id"))
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Sources)
            {
                foreach (var (change, function) in new[] { ("Insert", "Inserted"), ("Update", "Updated"), ("Delete", "Deleted") })
                {
                    migrationBuilder.Sql($"DROP TRIGGER \"TR_{table}_AcquiredAt_{change}\" ON \"{table}\"; DROP FUNCTION \"{table}_AcquiredAt_{function}\"();");
                }
            }

            migrationBuilder.DropIndex(
                name: "IX_Customers_AcquiredAt",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "AcquiredAt",
                table: "Customers");
        }
    }
}
