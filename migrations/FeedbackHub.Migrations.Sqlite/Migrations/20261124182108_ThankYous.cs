using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ThankYous : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ThankYous",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    VariantId = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DiscountCodeId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThankYous", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ThankYous_CampaignVariants_VariantId",
                        column: x => x.VariantId,
                        principalTable: "CampaignVariants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ThankYous_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ThankYous_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ThankYous_DiscountCodes_DiscountCodeId",
                        column: x => x.DiscountCodeId,
                        principalTable: "DiscountCodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ThankYous_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_CampaignId_CustomerId",
                table: "ThankYous",
                columns: new[] { "CampaignId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_CampaignId_OrderId",
                table: "ThankYous",
                columns: new[] { "CampaignId", "OrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_CustomerId",
                table: "ThankYous",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_DiscountCodeId",
                table: "ThankYous",
                column: "DiscountCodeId");

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_OrderId",
                table: "ThankYous",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_ThankYous_VariantId",
                table: "ThankYous",
                column: "VariantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ThankYous");
        }
    }
}
