using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DiscountHistories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignOutcomes_AnchorAt",
                table: "CampaignOutcomes");

            migrationBuilder.CreateTable(
                name: "DiscountHistories",
                columns: table => new
                {
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    Orders = table.Column<int>(type: "integer", nullable: false),
                    WithDiscount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DiscountHistories", x => x.CustomerId);
                    table.ForeignKey(
                        name: "FK_DiscountHistories_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The discount histories count discount codes: a changed code on an order lists its customer too. The
            // summaries are built again, with the new one, at the first catch-up.
            migrationBuilder.Sql(OrdersUpdated([.. OrderColumns, "DiscountCode"]));
        }

        /// <summary>The Orders update trigger's function, listing a customer when a column in <paramref name="columns"/> changed.</summary>
        private static string OrdersUpdated(string[] columns)
        {
            var changed = string.Join(" OR ", columns.Select(c => $"o.\"{c}\" IS DISTINCT FROM n.\"{c}\""));
            var updated = $"FROM old_rows AS o JOIN new_rows AS n ON n.\"Id\" = o.\"Id\" WHERE {changed}";
            return $"""
                CREATE OR REPLACE FUNCTION "Orders_SummaryChange_Updated"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") SELECT o."CustomerId" {updated} UNION SELECT n."CustomerId" {updated};
                    RETURN NULL;
                END $$;
                DELETE FROM "SummaryStates";
                """;
        }

        private static readonly string[] OrderColumns = ["CustomerId", "PlacedAt", "Total", "Currency", "ExternalId"];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OrdersUpdated(OrderColumns));
            migrationBuilder.DropTable(
                name: "DiscountHistories");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignOutcomes_AnchorAt",
                table: "CampaignOutcomes",
                column: "AnchorAt");
        }
    }
}
