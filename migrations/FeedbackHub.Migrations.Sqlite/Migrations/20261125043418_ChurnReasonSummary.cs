using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ChurnReasonSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChurnedAt",
                table: "LostRevenues",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "LostRevenues",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_LostRevenues_ChurnedAt_Reason",
                table: "LostRevenues",
                columns: new[] { "ChurnedAt", "Reason" });

            // A churn counts under its answer's effective reason: an answer, a prediction or a staff label lists the
            // customer. The summaries are built again, with the new columns, at the first catch-up.
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_SurveyResponses_SummaryChange_Insert" AFTER INSERT ON "SurveyResponses" BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") VALUES (NEW."CustomerId");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_SurveyResponses_SummaryChange_Update" AFTER UPDATE OF {string.Join(", ", AnswerColumns.Select(c => $"\"{c}\""))} ON "SurveyResponses" BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") VALUES (OLD."CustomerId");
                    INSERT INTO "SummaryChanges" ("CustomerId") SELECT NEW."CustomerId" WHERE NEW."CustomerId" <> OLD."CustomerId";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_SurveyResponses_SummaryChange_Delete" AFTER DELETE ON "SurveyResponses" BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") VALUES (OLD."CustomerId");
                END;
                """);
            migrationBuilder.Sql("""DELETE FROM "SummaryStates";""");
        }

        private static readonly string[] AnswerColumns = ["CustomerId", "InvitationId", "Reason", "PredictedReason", "HumanReason"];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "Insert", "Update", "Delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_SurveyResponses_SummaryChange_{change}\";");
            }

            migrationBuilder.DropIndex(
                name: "IX_LostRevenues_ChurnedAt_Reason",
                table: "LostRevenues");

            migrationBuilder.DropColumn(
                name: "ChurnedAt",
                table: "LostRevenues");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "LostRevenues");
        }
    }
}
