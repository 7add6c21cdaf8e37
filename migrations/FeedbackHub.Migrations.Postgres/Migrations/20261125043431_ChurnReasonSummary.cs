using System;
using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChurnReasonSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ChurnedAt",
                table: "LostRevenues",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "LostRevenues",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_LostRevenues_ChurnedAt_Reason",
                table: "LostRevenues",
                columns: new[] { "ChurnedAt", "Reason" });

            // A churn counts under its answer's effective reason: an answer, a prediction or a staff label lists the
            // customer. The summaries are built again, with the new columns, at the first catch-up.
            var changed = string.Join(" OR ", AnswerColumns.Select(c => $"o.\"{c}\" IS DISTINCT FROM n.\"{c}\""));
            var updated = $"FROM old_rows AS o JOIN new_rows AS n ON n.\"Id\" = o.\"Id\" WHERE {changed}";
            CreateTrigger(migrationBuilder, "Insert", "SELECT DISTINCT \"CustomerId\" FROM new_rows", "NEW TABLE AS new_rows");
            CreateTrigger(migrationBuilder, "Update", $"SELECT o.\"CustomerId\" {updated} UNION SELECT n.\"CustomerId\" {updated}", "OLD TABLE AS old_rows NEW TABLE AS new_rows");
            CreateTrigger(migrationBuilder, "Delete", "SELECT DISTINCT \"CustomerId\" FROM old_rows", "OLD TABLE AS old_rows");
            migrationBuilder.Sql("""DELETE FROM "SummaryStates";""");
        }

        private static readonly string[] AnswerColumns = ["CustomerId", "InvitationId", "Reason", "PredictedReason", "HumanReason"];

        private static readonly string[] Changes = ["Insert", "Update", "Delete"];

        private static void CreateTrigger(MigrationBuilder migrationBuilder, string change, string customers, string tables) =>
            migrationBuilder.Sql($"""
                CREATE FUNCTION "SurveyResponses_SummaryChange_{change}d"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "SummaryChanges" ("CustomerId") {customers};
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "TR_SurveyResponses_SummaryChange_{change}" AFTER {change.ToUpperInvariant()} ON "SurveyResponses"
                    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION "SurveyResponses_SummaryChange_{change}d"();
                """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in Changes)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"TR_SurveyResponses_SummaryChange_{change}\" ON \"SurveyResponses\"; DROP FUNCTION \"SurveyResponses_SummaryChange_{change}d\"();");
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
