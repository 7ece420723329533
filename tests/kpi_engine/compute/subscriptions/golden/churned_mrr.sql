WITH windows AS 
(SELECT 0 AS idx, '2026-04-01 00:00:00.000000' AS s, '2026-05-01 00:00:00.000000' AS e, '2026-04-01' AS d0, '2026-04-30' AS d1 UNION ALL SELECT 1 AS idx, '2026-03-01 00:00:00.000000' AS s, '2026-04-01 00:00:00.000000' AS e, '2026-03-01' AS d0, '2026-03-31' AS d1), 
first_paid AS 
(SELECT subscriptions.account_id AS account_id, min(subscriptions.started_at) AS first_paid_at 
FROM subscriptions 
WHERE subscriptions.mrr > 0 GROUP BY subscriptions.account_id), 
account_mrr AS 
(SELECT windows.idx AS idx, subscriptions.account_id AS account_id, sum(CASE WHEN (subscriptions.started_at < windows.s AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.s)) THEN subscriptions.mrr ELSE 0 END) AS m0, sum(CASE WHEN (subscriptions.started_at < windows.e AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.e)) THEN subscriptions.mrr ELSE 0 END) AS m1, max(CASE WHEN (first_paid.first_paid_at < windows.s) THEN 1 ELSE 0 END) AS paid_before 
FROM windows JOIN subscriptions ON subscriptions.started_at < windows.e AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.s) LEFT OUTER JOIN first_paid ON first_paid.account_id = subscriptions.account_id GROUP BY windows.idx, subscriptions.account_id 
HAVING sum(CASE WHEN (subscriptions.started_at < windows.s AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.s)) THEN subscriptions.mrr ELSE 0 END) > 0 OR sum(CASE WHEN (subscriptions.started_at < windows.e AND (subscriptions.ended_at IS NULL OR subscriptions.ended_at >= windows.e)) THEN subscriptions.mrr ELSE 0 END) > 0)
 SELECT account_mrr.idx AS w, coalesce(nullif(CAST(acct."plan" AS VARCHAR), ''), '(none)') AS g, sum(CASE WHEN (account_mrr.m0 > 0 AND account_mrr.m1 <= 0) THEN account_mrr.m0 ELSE 0 END) AS churned_mrr 
FROM account_mrr LEFT OUTER JOIN accounts AS acct ON acct.account_id = account_mrr.account_id 
WHERE acct.channel IN ('ads') OR acct.channel IS NULL OR CAST(acct.channel AS VARCHAR) = '' GROUP BY account_mrr.idx, coalesce(nullif(CAST(acct."plan" AS VARCHAR), ''), '(none)')
