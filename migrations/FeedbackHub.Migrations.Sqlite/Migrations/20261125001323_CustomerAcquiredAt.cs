using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomerAcquiredAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AcquiredAt",
                table: "Customers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_AcquiredAt",
                table: "Customers",
                column: "AcquiredAt");

            // Kept by triggers so every way rows arrive (ingest, CSV import, EF Core, a bulk load) keeps it
            // right. SQLite drops a table's triggers when EF Core rebuilds that table: a later migration that
            // rebuilds Orders or SubscriptionEvents must create these again.
            migrationBuilder.Sql($"UPDATE \"Customers\" SET \"AcquiredAt\" = {FirstActivity};");
            foreach (var (table, column) in Sources)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_AcquiredAt_Insert" AFTER INSERT ON "{table}" BEGIN
                        UPDATE "Customers" SET "AcquiredAt" = NEW."{column}"
                        WHERE "Id" = NEW."CustomerId" AND ("AcquiredAt" IS NULL OR "AcquiredAt" > NEW."{column}");
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_AcquiredAt_Update" AFTER UPDATE OF "{column}", "CustomerId" ON "{table}" BEGIN
                        UPDATE "Customers" SET "AcquiredAt" = {FirstActivity} WHERE "Id" IN (OLD."CustomerId", NEW."CustomerId");
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_AcquiredAt_Delete" AFTER DELETE ON "{table}" BEGIN
                        UPDATE "Customers" SET "AcquiredAt" = {FirstActivity} WHERE "Id" = OLD."CustomerId";
                    END;
                    """);
            }
        }

        private static readonly (string Table, string Column)[] Sources = [("Orders", "PlacedAt"), ("SubscriptionEvents", "OccurredAt")];

        /// <summary>The customer's first order or subscription event, from scratch; SQLite's two-argument MIN is null when either is.</summary>
        private const string FirstActivity = """
            COALESCE(MIN((SELECT MIN(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = "Customers"."Id"),
                         (SELECT MIN(s."OccurredAt") FROM "SubscriptionEvents" AS s WHERE s."CustomerId" = "Customers"."Id")),
                     (SELECT MIN(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = "Customers"."Id"),
                     (SELECT MIN(s."OccurredAt") FROM "SubscriptionEvents" AS s WHERE s."CustomerId" = "Customers"."Id"))
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Sources)
            {
                foreach (var change in new[] { "Insert", "Update", "Delete" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER \"TR_{table}_AcquiredAt_{change}\";");
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
