-- winback 0.2: libwinback inside PostgreSQL (docs/postgresql.md).
-- Money is bigint minor units (cents); days are dates. Every function that
-- takes a policy takes jsonb: the library's defaults with the given keys
-- overridden, validated by the library (a bad key or value: SQLSTATE 22023).
\echo Use "CREATE EXTENSION winback" to load this file. \quit

CREATE FUNCTION winback_policy(policy jsonb DEFAULT NULL) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION winback_class(last_purchase date, as_of date, policy jsonb DEFAULT NULL)
    RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION winback_discount_bp(last_purchase date, as_of date, policy jsonb DEFAULT NULL)
    RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION winback_clv(avg_check bigint, purchases_per_year numeric,
                            years integer DEFAULT 3, margin_bp integer DEFAULT 10000)
    RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION winback_romi_bp(income bigint, spend bigint, margin_bp integer DEFAULT 10000)
    RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION winback_writeoff(debt bigint, score_bp integer, policy jsonb DEFAULT NULL)
    RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE TYPE winback_plan AS (
    class text, action text, discount_bp integer, clv bigint, reasons text[],
    signals text[], escalation text, approach text, earliest_contact date,
    channel text, offer_expires date, priority bigint, sensitive boolean);

CREATE FUNCTION winback_decide(
    last_purchase date, as_of date, avg_check bigint DEFAULT 0,
    purchases_per_year numeric DEFAULT 0, years integer DEFAULT 3,
    returns integer DEFAULT 0, reason text DEFAULT 'unknown', severity integer DEFAULT 0,
    incident_day date DEFAULT NULL, flags text[] DEFAULT '{}', nps integer DEFAULT NULL,
    complaints integer DEFAULT 0, discount_demands integer DEFAULT 0,
    requests integer DEFAULT 0, contacts integer DEFAULT 0, last_contact date DEFAULT NULL,
    margin_bp integer DEFAULT 10000, clv bigint DEFAULT NULL, cost bigint DEFAULT 0,
    lost_by bigint DEFAULT 0, policy jsonb DEFAULT NULL)
    RETURNS winback_plan AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Purchases (day, amount in minor units) per customer -> the summary the
-- decision and the models need, as of a day the same for every row.
CREATE TYPE winback_summary AS (
    first_purchase date, last_purchase date, purchases integer, purchase_days integer,
    total bigint, avg_check bigint, returns integer, lost boolean,
    x double precision, t_x double precision, "T" double precision,
    mean_spend double precision);

CREATE FUNCTION winback_summary_add(internal, date, bigint, date) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_summary_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_summary_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION winback_summary_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION winback_summary_final(internal) RETURNS winback_summary
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE winback_summary(day date, amount bigint, as_of date) (
    SFUNC = winback_summary_add, STYPE = internal, FINALFUNC = winback_summary_final,
    COMBINEFUNC = winback_summary_combine, SERIALFUNC = winback_summary_serial,
    DESERIALFUNC = winback_summary_deserial, SSPACE = 128, PARALLEL = SAFE);

-- The model fits over the summaries (time in weeks), and their use.
CREATE FUNCTION winback_bgnbd_add(internal, double precision, double precision,
                                  double precision) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_gg_add(internal, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_rfm_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_rfm_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION winback_rfm_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION winback_bgnbd_final(internal) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION winback_gg_final(internal) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE winback_bgnbd_fit(x double precision, t_x double precision,
                                   "T" double precision) (
    SFUNC = winback_bgnbd_add, STYPE = internal, FINALFUNC = winback_bgnbd_final,
    COMBINEFUNC = winback_rfm_combine, SERIALFUNC = winback_rfm_serial,
    DESERIALFUNC = winback_rfm_deserial, PARALLEL = SAFE);
CREATE AGGREGATE winback_gg_fit(x double precision, mean_spend double precision) (
    SFUNC = winback_gg_add, STYPE = internal, FINALFUNC = winback_gg_final,
    COMBINEFUNC = winback_rfm_combine, SERIALFUNC = winback_rfm_serial,
    DESERIALFUNC = winback_rfm_deserial, PARALLEL = SAFE);

CREATE FUNCTION winback_p_alive(fit jsonb, x double precision, t_x double precision,
                                "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION winback_expected(fit jsonb, t double precision, x double precision,
                                 t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION winback_model_clv(bgnbd jsonb, gg jsonb, x double precision,
                                  t_x double precision, "T" double precision,
                                  mean_spend double precision, months integer DEFAULT 12,
                                  discount_rate double precision DEFAULT 0.01,
                                  margin double precision DEFAULT 1.0)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The whole batch job over a table in one scan through the library's
-- ledger (not an aggregate: one backend, no parallel split; the fastest
-- way on one machine). Columns by name: id text, day date, cents bigint.
CREATE FUNCTION winback_batch(tbl regclass, as_of date, id_column text DEFAULT 'id',
                              day_column text DEFAULT 'day', cents_column text DEFAULT 'cents')
    RETURNS TABLE (id text, first_purchase date, last_purchase date, purchases integer,
                   total bigint, class text, discount_bp integer, losses integer,
                   lost_twice boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
