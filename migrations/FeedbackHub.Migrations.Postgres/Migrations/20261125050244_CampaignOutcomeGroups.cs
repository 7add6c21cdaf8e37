using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CampaignOutcomeGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CampaignOutcomes_CampaignId_VariantId",
                table: "CampaignOutcomes",
                columns: new[] { "CampaignId", "VariantId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignOutcomes_CampaignId_VariantId",
                table: "CampaignOutcomes");
        }
    }
}
