using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EmailConsent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxEmails_CustomerId",
                table: "OutboxEmails");

            migrationBuilder.AddColumn<string>(
                name: "Locale",
                table: "OutboxEmails",
                type: "TEXT",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Template",
                table: "OutboxEmails",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "OutboxEmails",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailTextBlocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Template = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Locale = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    Block = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailTextBlocks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Suppressions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Suppressions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_CustomerId_CreatedAt",
                table: "OutboxEmails",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailTextBlocks_Template_Locale_Block",
                table: "EmailTextBlocks",
                columns: new[] { "Template", "Locale", "Block" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Suppressions_Address_Scope",
                table: "Suppressions",
                columns: new[] { "Address", "Scope" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmailTextBlocks");

            migrationBuilder.DropTable(
                name: "Suppressions");

            migrationBuilder.DropIndex(
                name: "IX_OutboxEmails_CustomerId_CreatedAt",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "Locale",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "Template",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "OutboxEmails");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_CustomerId",
                table: "OutboxEmails",
                column: "CustomerId");
        }
    }
}
