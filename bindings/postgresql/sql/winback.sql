-- The winback extension against the rules' worked examples, the winback
-- program on CDNOW, parallel query, and bad input (docs/postgresql.md).
CREATE EXTENSION winback;
\set VERBOSITY terse
SET datestyle = 'ISO, YMD';

-- R1 and R2: classes and the ladder, lower bounds inclusive.
SELECT d AS days, winback_class('1998-07-01'::date - d, '1998-07-01') AS class,
       winback_discount_bp('1998-07-01'::date - d, '1998-07-01') AS discount_bp
FROM unnest(ARRAY[0, 29, 30, 89, 90, 179, 180, 359, 360]) AS d;
SELECT winback_class(NULL, '1998-07-01') AS never_bought;
-- [Rules]: a water-delivery company calls after 45 days.
SELECT winback_class('1998-05-10', '1998-07-01', '{"watch_days": 20, "tier1_days": 45}');

-- R3 and R5: [Rules]' worked examples, in cents.
SELECT winback_clv(50000, 10, 5) AS clv_500_x_10_x_5;
SELECT winback_romi_bp(832500, 28500) AS romi_bp_8325_on_285;
SELECT winback_writeoff(100000, 5000) AS writeoff;

-- The policy: defaults, overrides, and every kind of bad policy.
SELECT (winback_policy()->>'tier1_days')::int AS tier1, (winback_policy('{"tier1_days": 60}')->>'tier1_days')::int AS tier1_60;
SELECT winback_class('1998-01-01', '1998-07-01', '{"no_such_key": 1}');
SELECT winback_class('1998-01-01', '1998-07-01', '{"tier1_days": -5}');
SELECT winback_class('1998-01-01', '1998-07-01', '{"tier1_days": 400}');
SELECT winback_class('1998-01-01', '1998-07-01', '{"tier1_days": "ninety"}');
SELECT winback_class('1998-01-01', '1998-07-01', '[1, 2]');
\set VERBOSITY sqlstate
SELECT winback_policy('{"no_such_key": 1}');
SELECT winback_decide('1998-01-01', '1998-07-01', severity => 7);
\set VERBOSITY terse
SELECT 'the session is still usable' AS after_errors;

-- The decision: [Strategies]' uneconomic customer, a strategic one, a
-- lost-twice customer's apology, a service failure without a severity.
SELECT action, reasons FROM winback_decide('1997-01-01', '1998-07-01', clv => 150000, cost => 200000);
SELECT action, reasons, priority FROM winback_decide('1998-04-02', '1998-07-01', clv => 150000,
                                                      cost => 200000, flags => '{strategic}');
SELECT action, approach, channel FROM winback_decide('1998-01-01', '1998-07-01', returns => 1);
SELECT escalation, approach, channel, offer_expires
FROM winback_decide('1998-01-01', '1998-07-01', reason => 'service', avg_check => 5000,
                    purchases_per_year => 2);
SELECT winback_decide('1998-01-01', '1998-07-01', reason => 'pricey');
SELECT winback_decide('1998-01-01', '1998-07-01', flags => '{rude}');
SELECT winback_decide('1998-01-01', '1998-07-01', severity => 7);
SELECT winback_decide('1998-08-01', '1998-07-01');
SELECT winback_decide('1998-01-01', NULL);
SELECT winback_class('infinity', '1998-07-01');

-- CDNOW: the purchases, as COPY loads them.
\getenv cdnow WINBACK_CDNOW
\getenv plan_csv WINBACK_PLAN_CSV
CREATE TABLE raw (line text);
COPY raw FROM :'cdnow' WITH (FORMAT text, DELIMITER E'\x01');
CREATE TABLE purchases AS
SELECT f[1] AS id, to_date(f[2], 'YYYYMMDD') AS day, (replace(f[4], '.', ''))::bigint AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), ' +') AS f FROM raw
      WHERE line ~ '^ *[0-9]') AS split;
SELECT count(*) AS purchases, count(DISTINCT id) AS customers, sum(amount) AS cents FROM purchases;

-- The summary, then the plan, as the winback program makes them.
CREATE TABLE summary AS
SELECT id, (winback_summary(day, amount, '1998-07-01')).* FROM purchases GROUP BY id;
CREATE TABLE plan AS
SELECT id, (winback_decide(last_purchase, '1998-07-01', avg_check => avg_check,
            purchases_per_year => (purchase_days * 36525
                                   / greatest('1998-07-01'::date - first_purchase, 365)) / 100.0,
            returns => returns, cost => 200)).*
FROM summary;
SELECT action, count(*) FROM plan GROUP BY action ORDER BY action;
CREATE TABLE cli (id text, last_purchase text, days_since int, class text, action text,
                  discount_bp int, clv numeric, reasons text, escalation text, approach text,
                  earliest_contact text, channel text, offer_expires text, signals text,
                  priority numeric);
COPY cli FROM :'plan_csv' WITH (FORMAT csv, HEADER);
SELECT count(*) AS rows_differing
FROM plan p FULL JOIN cli c USING (id)
WHERE p.class IS DISTINCT FROM c.class OR p.action IS DISTINCT FROM c.action
   OR p.discount_bp IS DISTINCT FROM c.discount_bp OR p.channel IS DISTINCT FROM c.channel
   OR p.priority IS DISTINCT FROM (c.priority * 100)::bigint
   OR p.clv IS DISTINCT FROM (c.clv * 100)::bigint;
SELECT id, class, action, discount_bp, priority FROM plan ORDER BY priority DESC, id LIMIT 5;

-- The whole batch job in one scan: the same facts as the aggregate.
SELECT count(*) AS batch_rows_differing
FROM winback_batch('purchases', '1998-07-01', cents_column => 'amount') b
FULL JOIN summary s USING (id)
WHERE b.first_purchase IS DISTINCT FROM s.first_purchase
   OR b.last_purchase IS DISTINCT FROM s.last_purchase
   OR b.purchases IS DISTINCT FROM s.purchases OR b.total IS DISTINCT FROM s.total
   OR b.class IS DISTINCT FROM winback_class(s.last_purchase, '1998-07-01')
   OR b.losses IS DISTINCT FROM s.returns + s.lost::int;
SELECT count(*) FILTER (WHERE lost_twice) AS lost_twice
FROM winback_batch('purchases', '1998-07-01', cents_column => 'amount');
SELECT * FROM winback_batch('purchases', '1998-07-01');
SELECT * FROM winback_batch('purchases', '1998-07-01', cents_column => 'id');
SELECT * FROM winback_batch('purchases', '1998-01-01', cents_column => 'amount');

-- The BG/NBD and Gamma-Gamma fits over the summaries (calibration to
-- 1998-06-30, as `winback fit`), and their use.
CREATE TABLE cal AS
SELECT id, (winback_summary(day, amount, '1998-06-30')).* FROM purchases GROUP BY id;
CREATE TABLE fit AS
SELECT winback_bgnbd_fit(x, t_x, "T") AS bg, winback_gg_fit(x, mean_spend) AS gg FROM cal;
SELECT round((bg->>'r')::numeric, 6) AS r, round((bg->>'alpha')::numeric, 6) AS alpha,
       round((bg->>'a')::numeric, 6) AS a, round((bg->>'b')::numeric, 6) AS b FROM fit;
SELECT round(winback_p_alive(bg, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(winback_expected(bg, 39, 2, 30.43, 38.86)::numeric, 4) AS expected
FROM fit;

-- Parallel query: the same aggregates with the work split among workers.
CREATE FUNCTION plan_shows(q text, pattern text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        IF l LIKE pattern THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT plan_shows('SELECT id, winback_summary(day, amount, ''1998-07-01'') FROM purchases GROUP BY id',
                  '%Partial%Aggregate%') AS partial_aggregate,
       plan_shows('SELECT id, winback_summary(day, amount, ''1998-07-01'') FROM purchases GROUP BY id',
                  '%Workers Launched: 2%') AS two_workers;
CREATE TABLE summary_parallel AS
SELECT id, (winback_summary(day, amount, '1998-07-01')).* FROM purchases GROUP BY id;
SELECT plan_shows('SELECT winback_bgnbd_fit(x, t_x, "T") FROM cal', '%Partial Aggregate%') AS partial_fit;
CREATE TABLE fit_parallel AS SELECT winback_bgnbd_fit(x, t_x, "T") AS bg FROM cal;
RESET ALL;
SET datestyle = 'ISO, YMD';
SELECT (SELECT count(*) FROM (SELECT * FROM summary EXCEPT SELECT * FROM summary_parallel) a)
     + (SELECT count(*) FROM (SELECT * FROM summary_parallel EXCEPT SELECT * FROM summary) b)
       AS summaries_differing;
SELECT (SELECT bg FROM fit) = (SELECT bg FROM fit_parallel) AS same_fit;

-- Bad purchases: each a clear error, and the session goes on.
SELECT winback_summary(day, amount, '1998-07-01') FROM (VALUES ('1998-01-01'::date, NULL::bigint)) v(day, amount);
SELECT winback_summary(day, amount, '1998-07-01') FROM (VALUES ('1998-01-01'::date, -5::bigint)) v(day, amount);
SELECT winback_summary(day, amount, '1998-07-01') FROM (VALUES ('1998-09-01'::date, 5::bigint)) v(day, amount);
SELECT winback_summary(day, 1, as_of) FROM (VALUES ('1998-01-01'::date, '1998-07-01'::date), ('1998-01-02', '1998-08-01')) v(day, as_of);
SELECT '2025-02-29'::date;
SELECT winback_bgnbd_fit(x, t_x, "T") FROM (VALUES (0.0, 0.0, 10.0)) v(x, t_x, "T");
SELECT count(*) AS still_usable FROM plan;
