using System;
using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReportSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The cohort summary's change list becomes the list of every report summary.
            foreach (var change in OldChanges)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_Orders_CohortChange_{change}\" ON \"Orders\"; DROP FUNCTION \"Orders_CohortChange_{change}d\"();");
            }

            migrationBuilder.DropTable(
                name: "CohortChanges");

            migrationBuilder.CreateTable(
                name: "CampaignOutcomes",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    VariantId = table.Column<long>(type: "bigint", nullable: true),
                    AnchorAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CodeIssued = table.Column<bool>(type: "boolean", nullable: false),
                    CodeRedeemed = table.Column<bool>(type: "boolean", nullable: false),
                    Repeated30 = table.Column<bool>(type: "boolean", nullable: false),
                    Revenue30 = table.Column<long>(type: "bigint", nullable: false),
                    Discount30 = table.Column<long>(type: "bigint", nullable: false),
                    Repeated60 = table.Column<bool>(type: "boolean", nullable: false),
                    Revenue60 = table.Column<long>(type: "bigint", nullable: false),
                    Discount60 = table.Column<long>(type: "bigint", nullable: false),
                    Repeated90 = table.Column<bool>(type: "boolean", nullable: false),
                    Revenue90 = table.Column<long>(type: "bigint", nullable: false),
                    Discount90 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignOutcomes", x => new { x.CampaignId, x.CustomerId });
                    table.ForeignKey(
                        name: "FK_CampaignOutcomes_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignOutcomes_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LostRevenues",
                columns: table => new
                {
                    ChurnEventId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    Revenue = table.Column<long>(type: "bigint", nullable: false),
                    Months = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LostRevenues", x => x.ChurnEventId);
                    table.ForeignKey(
                        name: "FK_LostRevenues_ChurnEvents_ChurnEventId",
                        column: x => x.ChurnEventId,
                        principalTable: "ChurnEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SummaryChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SummaryChanges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChurnEvents_ChurnedAt",
                table: "ChurnEvents",
                column: "ChurnedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignOutcomes_AnchorAt",
                table: "CampaignOutcomes",
                column: "AnchorAt");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignOutcomes_CustomerId",
                table: "CampaignOutcomes",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_LostRevenues_CustomerId",
                table: "LostRevenues",
                column: "CustomerId");

            // Every way a row the summaries are computed from changes lists its customer; the summaries recount
            // those customers when a dashboard next reads them. Statement triggers with transition tables: a bulk
            // write lists its customers in one insert. An update lists a customer only when a column the
            // summaries read changed (transition tables rule out UPDATE OF column lists).
            foreach (var (table, columns) in Sources)
            {
                var changed = string.Join(" OR ", columns.Select(c => $"o.\"{c}\" IS DISTINCT FROM n.\"{c}\""));
                var updated = $"FROM old_rows AS o JOIN new_rows AS n ON n.\"Id\" = o.\"Id\" WHERE {changed}";
                CreateTrigger(migrationBuilder, table, "Insert", "SELECT DISTINCT \"CustomerId\" FROM new_rows", "NEW TABLE AS new_rows");
                CreateTrigger(migrationBuilder, table, "Update", $"SELECT o.\"CustomerId\" {updated} UNION SELECT n.\"CustomerId\" {updated}", "OLD TABLE AS old_rows NEW TABLE AS new_rows");
                CreateTrigger(migrationBuilder, table, "Delete", "SELECT DISTINCT \"CustomerId\" FROM old_rows", "OLD TABLE AS old_rows");
            }

            // Revenue counts in the campaign's currency: a new currency recounts the campaign's customers.
            CreateTrigger(migrationBuilder, "Campaigns", "Update",
                """
                SELECT DISTINCT a."CustomerId" FROM old_rows AS o JOIN new_rows AS n ON n."Id" = o."Id"
                JOIN "CampaignAssignments" AS a ON a."CampaignId" = n."Id" WHERE o."Currency" <> n."Currency"
                """,
                "OLD TABLE AS old_rows NEW TABLE AS new_rows");

            // The summaries are built again, with the new ones, at the first catch-up.
            migrationBuilder.Sql("""DELETE FROM "SummaryStates";""");
        }

        private static readonly string[] OldChanges = ["Insert", "Update", "Delete"];

        /// <summary>The tables the summaries are computed from, with the columns they read (besides the customer).</summary>
        private static readonly (string Table, string[] Columns)[] Sources =
        [
            ("Orders", ["CustomerId", "PlacedAt", "Total", "Currency", "ExternalId"]),
            ("ThankYous", ["CustomerId", "CampaignId", "OrderId", "Outcome", "DiscountCodeId"]),
            ("CampaignAssignments", ["CustomerId", "CampaignId", "VariantId"]),
            ("DiscountCodes", ["CustomerId", "DiscountKind", "DiscountValue", "RedeemedAt", "RedeemedOrderExternalId"]),
            ("ChurnEvents", ["CustomerId", "ChurnedAt"]),
        ];

        private static void CreateTrigger(MigrationBuilder migrationBuilder, string table, string change, string customers, string tables) =>
            migrationBuilder.Sql($"""
                CREATE FUNCTION "{table}_SummaryChange_{change}d"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") {customers};
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "TR_{table}_SummaryChange_{change}" AFTER {change.ToUpperInvariant()} ON "{table}"
                    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION "{table}_SummaryChange_{change}d"();
                """);

        private static void DropTrigger(MigrationBuilder migrationBuilder, string table, string change) =>
            migrationBuilder.Sql($"DROP TRIGGER \"TR_{table}_SummaryChange_{change}\" ON \"{table}\"; DROP FUNCTION \"{table}_SummaryChange_{change}d\"();");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropTrigger(migrationBuilder, "Campaigns", "Update");
            foreach (var (table, _) in Sources)
            {
                foreach (var change in OldChanges)
                {
                    DropTrigger(migrationBuilder, table, change);
                }
            }

            migrationBuilder.DropTable(
                name: "CampaignOutcomes");

            migrationBuilder.DropTable(
                name: "LostRevenues");

            migrationBuilder.DropTable(
                name: "SummaryChanges");

            migrationBuilder.DropIndex(
                name: "IX_ChurnEvents_ChurnedAt",
                table: "ChurnEvents");

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


            // Back to the cohort summary's triggers, as its migration made them.
            migrationBuilder.Sql("""
                CREATE FUNCTION "Orders_CohortChange_Insertd"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO "CohortChanges" ("CustomerId") SELECT DISTINCT "CustomerId" FROM new_rows; RETURN NULL; END $$;
                CREATE TRIGGER "TR_Orders_CohortChange_Insert" AFTER INSERT ON "Orders"
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "Orders_CohortChange_Insertd"();
                CREATE FUNCTION "Orders_CohortChange_Updated"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO "CohortChanges" ("CustomerId") SELECT "CustomerId" FROM old_rows UNION SELECT "CustomerId" FROM new_rows; RETURN NULL; END $$;
                CREATE TRIGGER "TR_Orders_CohortChange_Update" AFTER UPDATE ON "Orders"
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "Orders_CohortChange_Updated"();
                CREATE FUNCTION "Orders_CohortChange_Deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO "CohortChanges" ("CustomerId") SELECT DISTINCT "CustomerId" FROM old_rows; RETURN NULL; END $$;
                CREATE TRIGGER "TR_Orders_CohortChange_Delete" AFTER DELETE ON "Orders"
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "Orders_CohortChange_Deleted"();
                DELETE FROM "SummaryStates";
                """);
        }
    }
}
