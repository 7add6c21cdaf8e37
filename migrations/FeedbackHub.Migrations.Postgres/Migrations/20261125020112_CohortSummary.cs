using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CohortChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerMonths",
                columns: table => new
                {
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    FirstMonth = table.Column<int>(type: "integer", nullable: false)
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
                    Number = table.Column<int>(type: "integer", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportMonths", x => x.Number);
                });

            migrationBuilder.CreateTable(
                name: "SummaryStates",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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

            // Every way an order changes (ingest, CSV import, EF Core, COPY) lists its customers for the cohort
            // summary, one set-based INSERT per statement; the summary recounts those customers' months when a
            // dashboard next reads it. A bulk load with session_replication_role = replica skips these and must
            // start the summary over (CohortSummary.RebuildAsync). The summary starts empty; its first
            // catch-up builds it for the shop's time zone.
            foreach (var (change, customers, tables) in Changes)
            {
                migrationBuilder.Sql($"""
                    CREATE FUNCTION "Orders_CohortChange_{change}d"() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO "CohortChanges" ("CustomerId") {customers};
                        RETURN NULL;
                    END $$;
                    CREATE TRIGGER "TR_Orders_CohortChange_{change}" AFTER {change.ToUpperInvariant()} ON "Orders"
                        REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION "Orders_CohortChange_{change}d"();
                    """);
            }
        }

        private static readonly (string Change, string Customers, string Tables)[] Changes =
        [
            ("Insert", "SELECT DISTINCT \"CustomerId\" FROM new_rows", "NEW TABLE AS new_rows"),
            ("Update", "SELECT \"CustomerId\" FROM old_rows UNION SELECT \"CustomerId\" FROM new_rows", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("Delete", "SELECT DISTINCT \"CustomerId\" FROM old_rows", "OLD TABLE AS old_rows"),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (change, _, _) in Changes)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_Orders_CohortChange_{change}\" ON \"Orders\"; DROP FUNCTION \"Orders_CohortChange_{change}d\"();");
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
