using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReasonClassification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HumanReason",
                table: "SurveyResponses",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LabelledAt",
                table: "SurveyResponses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LabelledBy",
                table: "SurveyResponses",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PredictedAt",
                table: "SurveyResponses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictedReason",
                table: "SurveyResponses",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PredictionConfidence",
                table: "SurveyResponses",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictionExplanation",
                table: "SurveyResponses",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PredictionModelId",
                table: "SurveyResponses",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EffectiveReason",
                table: "SurveyResponses",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                computedColumnSql: "COALESCE(\"HumanReason\", \"PredictedReason\", \"Reason\")",
                stored: true);

            migrationBuilder.CreateTable(
                name: "CustomReasons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LabelEnglish = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LabelDutch = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomReasons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReasonModels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Content = table.Column<byte[]>(type: "bytea", nullable: true),
                    TrainingCounts = table.Column<string>(type: "text", nullable: true),
                    TrainingExamples = table.Column<int>(type: "integer", nullable: false),
                    HeldOutExamples = table.Column<int>(type: "integer", nullable: false),
                    MacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    Accuracy = table.Column<double>(type: "double precision", nullable: true),
                    Evaluation = table.Column<string>(type: "text", nullable: true),
                    ComparedWithModelId = table.Column<long>(type: "bigint", nullable: true),
                    ComparedWithMacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    TrainingFingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReasonModels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReasonModels_ReasonModels_ComparedWithModelId",
                        column: x => x.ComparedWithModelId,
                        principalTable: "ReasonModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_EffectiveReason_SubmittedAt",
                table: "SurveyResponses",
                columns: new[] { "EffectiveReason", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_HumanReason_PredictionConfidence",
                table: "SurveyResponses",
                columns: new[] { "HumanReason", "PredictionConfidence" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_PredictionModelId",
                table: "SurveyResponses",
                column: "PredictionModelId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_Unclassified",
                table: "SurveyResponses",
                column: "Id",
                filter: "\"PredictedAt\" IS NULL AND \"Comment\" <> ''");

            migrationBuilder.CreateIndex(
                name: "IX_CustomReasons_Key",
                table: "CustomReasons",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReasonModels_ComparedWithModelId",
                table: "ReasonModels",
                column: "ComparedWithModelId");

            migrationBuilder.CreateIndex(
                name: "IX_ReasonModels_IsActive",
                table: "ReasonModels",
                column: "IsActive",
                unique: true,
                filter: "\"IsActive\"");

            migrationBuilder.AddForeignKey(
                name: "FK_SurveyResponses_ReasonModels_PredictionModelId",
                table: "SurveyResponses",
                column: "PredictionModelId",
                principalTable: "ReasonModels",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SurveyResponses_ReasonModels_PredictionModelId",
                table: "SurveyResponses");

            migrationBuilder.DropTable(
                name: "CustomReasons");

            migrationBuilder.DropTable(
                name: "ReasonModels");

            migrationBuilder.DropIndex(
                name: "IX_SurveyResponses_EffectiveReason_SubmittedAt",
                table: "SurveyResponses");

            migrationBuilder.DropIndex(
                name: "IX_SurveyResponses_HumanReason_PredictionConfidence",
                table: "SurveyResponses");

            migrationBuilder.DropIndex(
                name: "IX_SurveyResponses_PredictionModelId",
                table: "SurveyResponses");

            migrationBuilder.DropIndex(
                name: "IX_SurveyResponses_Unclassified",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "EffectiveReason",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "HumanReason",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "LabelledAt",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "LabelledBy",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "PredictedAt",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "PredictedReason",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "PredictionConfidence",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "PredictionExplanation",
                table: "SurveyResponses");

            migrationBuilder.DropColumn(
                name: "PredictionModelId",
                table: "SurveyResponses");
        }
    }
}
