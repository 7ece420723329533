WITH windows AS 
(SELECT 0 AS idx, '2026-04-01 00:00:00.000000' AS s, '2026-05-01 00:00:00.000000' AS e, '2026-04-01' AS d0, '2026-04-30' AS d1 UNION ALL SELECT 1 AS idx, '2026-03-01 00:00:00.000000' AS s, '2026-04-01 00:00:00.000000' AS e, '2026-03-01' AS d0, '2026-03-31' AS d1)
 SELECT windows.idx AS w, coalesce(nullif(CAST(acct."plan" AS VARCHAR), ''), '(none)') AS g, sum(subscriptions.mrr) AS value 
FROM windows JOIN subscriptions ON subscriptions.started_at < windows.e AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.e) LEFT OUTER JOIN accounts AS acct ON acct.account_id = subscriptions.account_id 
WHERE acct.channel IN ('ads') OR acct.channel IS NULL OR CAST(acct.channel AS VARCHAR) = '' GROUP BY windows.idx, coalesce(nullif(CAST(acct."plan" AS VARCHAR), ''), '(none)')
