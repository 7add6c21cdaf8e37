using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CohortSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CohortChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CohortChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerMonths",
                columns: table => new
                {
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstMonth = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerMonths", x => new { x.CustomerId, x.Month });
                    table.ForeignKey(
                        name: "FK_CustomerMonths_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReportMonths",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportMonths", x => x.Number);
                });

            migrationBuilder.CreateTable(
                name: "SummaryStates",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SummaryStates", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerMonths_FirstMonth_Month_CustomerId",
                table: "CustomerMonths",
                columns: new[] { "FirstMonth", "Month", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportMonths_StartsAt",
                table: "ReportMonths",
                column: "StartsAt",
                unique: true);

            // Every way an order changes (ingest, CSV import, EF Core, a bulk load) lists its customer for the
            // cohort summary, which recounts those customers' months when a dashboard next reads it. SQLite
            // drops these when EF Core rebuilds the Orders table: such a migration must create them again.
            // The summary starts empty; its first catch-up builds it for the shop's time zone.
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_CohortChange_Insert" AFTER INSERT ON "Orders" BEGIN
                    INSERT INTO "CohortChanges" ("CustomerId") VALUES (NEW."CustomerId");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_CohortChange_Update" AFTER UPDATE OF "PlacedAt", "CustomerId" ON "Orders" BEGIN
                    INSERT INTO "CohortChanges" ("CustomerId") VALUES (OLD."CustomerId");
                    INSERT INTO "CohortChanges" ("CustomerId") SELECT NEW."CustomerId" WHERE NEW."CustomerId" <> OLD."CustomerId";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_CohortChange_Delete" AFTER DELETE ON "Orders" BEGIN
                    INSERT INTO "CohortChanges" ("CustomerId") VALUES (OLD."CustomerId");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "Insert", "Update", "Delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_Orders_CohortChange_{change}\";");
            }

            migrationBuilder.DropTable(
                name: "CohortChanges");

            migrationBuilder.DropTable(
                name: "CustomerMonths");

            migrationBuilder.DropTable(
                name: "ReportMonths");

            migrationBuilder.DropTable(
                name: "SummaryStates");
        }
    }
}
