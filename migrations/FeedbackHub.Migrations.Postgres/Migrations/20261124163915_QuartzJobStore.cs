using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedbackHub.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The tables of Quartz.NET's ADO job store (JobStoreTX with PostgreSQLDelegate, clustered). They
    /// are not part of the EF model: only Quartz reads and writes them, so they are created with plain
    /// SQL and the model snapshot does not change. Quartz names them in upper case without quotes, so
    /// they are created unquoted (PostgreSQL folds both to lower case). Times are UTC ticks (bigint),
    /// job data is bytea (JSON, see JsonJobDataSerializer). The last four qrtz_triggers columns and
    /// qrtz_fired_triggers.execution_group are optional in Quartz 3.x; without them it logs warnings
    /// and turns those features off.
    /// </summary>
    public partial class QuartzJobStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE qrtz_job_details (
                    sched_name text NOT NULL,
                    job_name text NOT NULL,
                    job_group text NOT NULL,
                    description text NULL,
                    job_class_name text NOT NULL,
                    is_durable boolean NOT NULL,
                    is_nonconcurrent boolean NOT NULL,
                    is_update_data boolean NOT NULL,
                    requests_recovery boolean NOT NULL,
                    job_data bytea NULL,
                    CONSTRAINT pk_qrtz_job_details PRIMARY KEY (sched_name, job_name, job_group)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_triggers (
                    sched_name text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    job_name text NOT NULL,
                    job_group text NOT NULL,
                    description text NULL,
                    next_fire_time bigint NULL,
                    prev_fire_time bigint NULL,
                    priority integer NULL,
                    trigger_state text NOT NULL,
                    trigger_type text NOT NULL,
                    start_time bigint NOT NULL,
                    end_time bigint NULL,
                    calendar_name text NULL,
                    misfire_instr integer NULL,
                    job_data bytea NULL,
                    misfire_orig_fire_time bigint NULL,
                    execution_group text NULL,
                    preferred_node text NULL,
                    preferred_node_auto boolean NOT NULL DEFAULT FALSE,
                    CONSTRAINT pk_qrtz_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                    CONSTRAINT fk_qrtz_triggers_job_details FOREIGN KEY (sched_name, job_name, job_group)
                        REFERENCES qrtz_job_details (sched_name, job_name, job_group)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_simple_triggers (
                    sched_name text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    repeat_count bigint NOT NULL,
                    repeat_interval bigint NOT NULL,
                    times_triggered bigint NOT NULL,
                    CONSTRAINT pk_qrtz_simple_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                    CONSTRAINT fk_qrtz_simple_triggers_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                        REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_simprop_triggers (
                    sched_name text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    str_prop_1 text NULL,
                    str_prop_2 text NULL,
                    str_prop_3 text NULL,
                    int_prop_1 integer NULL,
                    int_prop_2 integer NULL,
                    long_prop_1 bigint NULL,
                    long_prop_2 bigint NULL,
                    dec_prop_1 numeric(13,4) NULL,
                    dec_prop_2 numeric(13,4) NULL,
                    bool_prop_1 boolean NULL,
                    bool_prop_2 boolean NULL,
                    time_zone_id text NULL,
                    CONSTRAINT pk_qrtz_simprop_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                    CONSTRAINT fk_qrtz_simprop_triggers_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                        REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_cron_triggers (
                    sched_name text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    cron_expression text NOT NULL,
                    time_zone_id text NULL,
                    CONSTRAINT pk_qrtz_cron_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                    CONSTRAINT fk_qrtz_cron_triggers_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                        REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_blob_triggers (
                    sched_name text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    blob_data bytea NULL,
                    CONSTRAINT pk_qrtz_blob_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                    CONSTRAINT fk_qrtz_blob_triggers_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                        REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_calendars (
                    sched_name text NOT NULL,
                    calendar_name text NOT NULL,
                    calendar bytea NOT NULL,
                    CONSTRAINT pk_qrtz_calendars PRIMARY KEY (sched_name, calendar_name)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_paused_trigger_grps (
                    sched_name text NOT NULL,
                    trigger_group text NOT NULL,
                    CONSTRAINT pk_qrtz_paused_trigger_grps PRIMARY KEY (sched_name, trigger_group)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_fired_triggers (
                    sched_name text NOT NULL,
                    entry_id text NOT NULL,
                    trigger_name text NOT NULL,
                    trigger_group text NOT NULL,
                    instance_name text NOT NULL,
                    fired_time bigint NOT NULL,
                    sched_time bigint NOT NULL,
                    priority integer NOT NULL,
                    state text NOT NULL,
                    job_name text NULL,
                    job_group text NULL,
                    is_nonconcurrent boolean NULL,
                    requests_recovery boolean NULL,
                    execution_group text NULL,
                    CONSTRAINT pk_qrtz_fired_triggers PRIMARY KEY (sched_name, entry_id)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_scheduler_state (
                    sched_name text NOT NULL,
                    instance_name text NOT NULL,
                    last_checkin_time bigint NOT NULL,
                    checkin_interval bigint NOT NULL,
                    CONSTRAINT pk_qrtz_scheduler_state PRIMARY KEY (sched_name, instance_name)
                )
                """);

            migrationBuilder.Sql("""
                CREATE TABLE qrtz_locks (
                    sched_name text NOT NULL,
                    lock_name text NOT NULL,
                    CONSTRAINT pk_qrtz_locks PRIMARY KEY (sched_name, lock_name)
                )
                """);

            // The questions Quartz asks most: due triggers by state and time, a job's triggers, a node's firings.
            migrationBuilder.Sql("""
                CREATE INDEX ix_qrtz_triggers_job ON qrtz_triggers (sched_name, job_name, job_group);
                CREATE INDEX ix_qrtz_triggers_group ON qrtz_triggers (sched_name, trigger_group);
                CREATE INDEX ix_qrtz_triggers_state_next_fire ON qrtz_triggers (sched_name, trigger_state, next_fire_time);
                CREATE INDEX ix_qrtz_fired_triggers_instance ON qrtz_fired_triggers (sched_name, instance_name);
                CREATE INDEX ix_qrtz_fired_triggers_job ON qrtz_fired_triggers (sched_name, job_name, job_group);
                CREATE INDEX ix_qrtz_fired_triggers_trigger ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Children first: the trigger detail tables and firings refer to qrtz_triggers, which refers to qrtz_job_details.
            migrationBuilder.Sql("DROP TABLE qrtz_fired_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_paused_trigger_grps;");
            migrationBuilder.Sql("DROP TABLE qrtz_scheduler_state;");
            migrationBuilder.Sql("DROP TABLE qrtz_locks;");
            migrationBuilder.Sql("DROP TABLE qrtz_simple_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_simprop_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_cron_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_blob_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_triggers;");
            migrationBuilder.Sql("DROP TABLE qrtz_job_details;");
            migrationBuilder.Sql("DROP TABLE qrtz_calendars;");
        }
    }
}
