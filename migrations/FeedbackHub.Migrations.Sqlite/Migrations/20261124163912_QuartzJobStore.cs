using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// The tables of Quartz.NET's ADO job store (JobStoreTX with SQLiteDelegate). They are not part of
    /// the EF model: only Quartz reads and writes them, so they are created with plain SQL and the
    /// model snapshot does not change. Times are UTC ticks, flags 0/1 and job data BLOBs (JSON, see
    /// JsonJobDataSerializer). The last four QRTZ_TRIGGERS columns and FIRED_TRIGGERS.EXECUTION_GROUP
    /// are optional in Quartz 3.x; without them it logs warnings and turns those features off.
    /// </summary>
    public partial class QuartzJobStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_JOB_DETAILS (
                    SCHED_NAME TEXT NOT NULL,
                    JOB_NAME TEXT NOT NULL,
                    JOB_GROUP TEXT NOT NULL,
                    DESCRIPTION TEXT NULL,
                    JOB_CLASS_NAME TEXT NOT NULL,
                    IS_DURABLE INTEGER NOT NULL,
                    IS_NONCONCURRENT INTEGER NOT NULL,
                    IS_UPDATE_DATA INTEGER NOT NULL,
                    REQUESTS_RECOVERY INTEGER NOT NULL,
                    JOB_DATA BLOB NULL,
                    CONSTRAINT PK_QRTZ_JOB_DETAILS PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    JOB_NAME TEXT NOT NULL,
                    JOB_GROUP TEXT NOT NULL,
                    DESCRIPTION TEXT NULL,
                    NEXT_FIRE_TIME INTEGER NULL,
                    PREV_FIRE_TIME INTEGER NULL,
                    PRIORITY INTEGER NULL,
                    TRIGGER_STATE TEXT NOT NULL,
                    TRIGGER_TYPE TEXT NOT NULL,
                    START_TIME INTEGER NOT NULL,
                    END_TIME INTEGER NULL,
                    CALENDAR_NAME TEXT NULL,
                    MISFIRE_INSTR INTEGER NULL,
                    JOB_DATA BLOB NULL,
                    MISFIRE_ORIG_FIRE_TIME INTEGER NULL,
                    EXECUTION_GROUP TEXT NULL,
                    PREFERRED_NODE TEXT NULL,
                    PREFERRED_NODE_AUTO INTEGER NOT NULL DEFAULT 0,
                    CONSTRAINT PK_QRTZ_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_TRIGGERS_JOB_DETAILS FOREIGN KEY (SCHED_NAME, JOB_NAME, JOB_GROUP)
                        REFERENCES QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_SIMPLE_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    REPEAT_COUNT INTEGER NOT NULL,
                    REPEAT_INTERVAL INTEGER NOT NULL,
                    TIMES_TRIGGERED INTEGER NOT NULL,
                    CONSTRAINT PK_QRTZ_SIMPLE_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_SIMPLE_TRIGGERS_TRIGGERS FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
                        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_SIMPROP_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    STR_PROP_1 TEXT NULL,
                    STR_PROP_2 TEXT NULL,
                    STR_PROP_3 TEXT NULL,
                    INT_PROP_1 INTEGER NULL,
                    INT_PROP_2 INTEGER NULL,
                    LONG_PROP_1 INTEGER NULL,
                    LONG_PROP_2 INTEGER NULL,
                    DEC_PROP_1 NUMERIC NULL,
                    DEC_PROP_2 NUMERIC NULL,
                    BOOL_PROP_1 INTEGER NULL,
                    BOOL_PROP_2 INTEGER NULL,
                    TIME_ZONE_ID TEXT NULL,
                    CONSTRAINT PK_QRTZ_SIMPROP_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_SIMPROP_TRIGGERS_TRIGGERS FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
                        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_CRON_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    CRON_EXPRESSION TEXT NOT NULL,
                    TIME_ZONE_ID TEXT NULL,
                    CONSTRAINT PK_QRTZ_CRON_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_CRON_TRIGGERS_TRIGGERS FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
                        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_BLOB_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    BLOB_DATA BLOB NULL,
                    CONSTRAINT PK_QRTZ_BLOB_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_BLOB_TRIGGERS_TRIGGERS FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
                        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_CALENDARS (
                    SCHED_NAME TEXT NOT NULL,
                    CALENDAR_NAME TEXT NOT NULL,
                    CALENDAR BLOB NOT NULL,
                    CONSTRAINT PK_QRTZ_CALENDARS PRIMARY KEY (SCHED_NAME, CALENDAR_NAME)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_PAUSED_TRIGGER_GRPS (
                    SCHED_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    CONSTRAINT PK_QRTZ_PAUSED_TRIGGER_GRPS PRIMARY KEY (SCHED_NAME, TRIGGER_GROUP)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_FIRED_TRIGGERS (
                    SCHED_NAME TEXT NOT NULL,
                    ENTRY_ID TEXT NOT NULL,
                    TRIGGER_NAME TEXT NOT NULL,
                    TRIGGER_GROUP TEXT NOT NULL,
                    INSTANCE_NAME TEXT NOT NULL,
                    FIRED_TIME INTEGER NOT NULL,
                    SCHED_TIME INTEGER NOT NULL,
                    PRIORITY INTEGER NOT NULL,
                    STATE TEXT NOT NULL,
                    JOB_NAME TEXT NULL,
                    JOB_GROUP TEXT NULL,
                    IS_NONCONCURRENT INTEGER NULL,
                    REQUESTS_RECOVERY INTEGER NULL,
                    EXECUTION_GROUP TEXT NULL,
                    CONSTRAINT PK_QRTZ_FIRED_TRIGGERS PRIMARY KEY (SCHED_NAME, ENTRY_ID)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_SCHEDULER_STATE (
                    SCHED_NAME TEXT NOT NULL,
                    INSTANCE_NAME TEXT NOT NULL,
                    LAST_CHECKIN_TIME INTEGER NOT NULL,
                    CHECKIN_INTERVAL INTEGER NOT NULL,
                    CONSTRAINT PK_QRTZ_SCHEDULER_STATE PRIMARY KEY (SCHED_NAME, INSTANCE_NAME)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE QRTZ_LOCKS (
                    SCHED_NAME TEXT NOT NULL,
                    LOCK_NAME TEXT NOT NULL,
                    CONSTRAINT PK_QRTZ_LOCKS PRIMARY KEY (SCHED_NAME, LOCK_NAME)
                )
                """);

            // The questions Quartz asks most: due triggers by state and time, a job's triggers, a node's firings.
            migrationBuilder.Sql("""
                CREATE INDEX IX_QRTZ_TRIGGERS_JOB ON QRTZ_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
                CREATE INDEX IX_QRTZ_TRIGGERS_GROUP ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_GROUP);
                CREATE INDEX IX_QRTZ_TRIGGERS_STATE_NEXT_FIRE ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME);
                CREATE INDEX IX_QRTZ_FIRED_TRIGGERS_INSTANCE ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, INSTANCE_NAME);
                CREATE INDEX IX_QRTZ_FIRED_TRIGGERS_JOB ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
                CREATE INDEX IX_QRTZ_FIRED_TRIGGERS_TRIGGER ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Children first: the trigger detail tables and firings refer to QRTZ_TRIGGERS, which refers to QRTZ_JOB_DETAILS.
            migrationBuilder.Sql("DROP TABLE QRTZ_FIRED_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_PAUSED_TRIGGER_GRPS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_SCHEDULER_STATE;");
            migrationBuilder.Sql("DROP TABLE QRTZ_LOCKS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_SIMPLE_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_SIMPROP_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_CRON_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_BLOB_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_TRIGGERS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_JOB_DETAILS;");
            migrationBuilder.Sql("DROP TABLE QRTZ_CALENDARS;");
        }
    }
}
