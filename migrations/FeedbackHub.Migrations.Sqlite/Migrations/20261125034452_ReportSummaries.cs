using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The cohort summary's change list becomes the list of every report summary.
            foreach (var change in Changes)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_Orders_CohortChange_{change}\";");
            }

            migrationBuilder.DropTable(
                name: "CohortChanges");

            migrationBuilder.CreateTable(
                name: "CampaignOutcomes",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    VariantId = table.Column<long>(type: "INTEGER", nullable: true),
                    AnchorAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CodeIssued = table.Column<bool>(type: "INTEGER", nullable: false),
                    CodeRedeemed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Repeated30 = table.Column<bool>(type: "INTEGER", nullable: false),
                    Revenue30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Discount30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Repeated60 = table.Column<bool>(type: "INTEGER", nullable: false),
                    Revenue60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Discount60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Repeated90 = table.Column<bool>(type: "INTEGER", nullable: false),
                    Revenue90 = table.Column<long>(type: "INTEGER", nullable: false),
                    Discount90 = table.Column<long>(type: "INTEGER", nullable: false)
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
                    ChurnEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Revenue = table.Column<long>(type: "INTEGER", nullable: false),
                    Months = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false)
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
            // those customers when a dashboard next reads them. SQLite drops a table's triggers when EF Core
            // rebuilds the table: such a migration must create them again.
            foreach (var (table, columns) in Sources)
            {
                var watched = string.Join(", ", columns.Select(c => $"\"{c}\""));
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_SummaryChange_Insert" AFTER INSERT ON "{table}" BEGIN
                        INSERT INTO "SummaryChanges" ("CustomerId") VALUES (NEW."CustomerId");
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_SummaryChange_Update" AFTER UPDATE OF {watched} ON "{table}" BEGIN
                        INSERT INTO "SummaryChanges" ("CustomerId") VALUES (OLD."CustomerId");
                        INSERT INTO "SummaryChanges" ("CustomerId") SELECT NEW."CustomerId" WHERE NEW."CustomerId" <> OLD."CustomerId";
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_SummaryChange_Delete" AFTER DELETE ON "{table}" BEGIN
                        INSERT INTO "SummaryChanges" ("CustomerId") VALUES (OLD."CustomerId");
                    END;
                    """);
            }

            // Revenue counts in the campaign's currency: a new currency recounts the campaign's customers.
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Campaigns_SummaryChange_Update" AFTER UPDATE OF "Currency" ON "Campaigns" BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") SELECT "CustomerId" FROM "CampaignAssignments" WHERE "CampaignId" = NEW."Id";
                END;
                """);

            // The summaries are built again, with the new ones, at the first catch-up.
            migrationBuilder.Sql("""DELETE FROM "SummaryStates";""");
        }

        private static readonly string[] Changes = ["Insert", "Update", "Delete"];

        /// <summary>The tables the summaries are computed from, with the columns they read.</summary>
        private static readonly (string Table, string[] Columns)[] Sources =
        [
            ("Orders", ["CustomerId", "PlacedAt", "Total", "Currency", "ExternalId"]),
            ("ThankYous", ["CustomerId", "CampaignId", "OrderId", "Outcome", "DiscountCodeId"]),
            ("CampaignAssignments", ["CustomerId", "CampaignId", "VariantId"]),
            ("DiscountCodes", ["CustomerId", "DiscountKind", "DiscountValue", "RedeemedAt", "RedeemedOrderExternalId"]),
            ("ChurnEvents", ["CustomerId", "ChurnedAt"]),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"TR_Campaigns_SummaryChange_Update\";");
            foreach (var (table, _) in Sources)
            {
                foreach (var change in Changes)
                {
                    migrationBuilder.Sql($"DROP TRIGGER \"TR_{table}_SummaryChange_{change}\";");
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CohortChanges", x => x.Id);
                });


            // Back to the cohort summary's triggers, as its migration made them.
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
            migrationBuilder.Sql("""DELETE FROM "SummaryStates";""");
        }
    }
}
