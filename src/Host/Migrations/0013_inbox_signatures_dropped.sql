-- A delivery's signature is not kept once it is verified (the intake drops it now): it covers the body only, so anyone
-- who could read both from the inbox API could send the body again under another topic. Deliveries stored before lose it.
UPDATE integration.inbox
SET headers = (SELECT coalesce(jsonb_object_agg(e.k, e.v), '{}'::jsonb) FROM jsonb_each(headers) AS e(k, v)
               WHERE lower(e.k) NOT IN ('x-shopify-hmac-sha256', 'shopify-hmac-sha256', 'x-wc-webhook-signature'))
WHERE EXISTS (SELECT 1 FROM jsonb_object_keys(headers) AS k
              WHERE lower(k) IN ('x-shopify-hmac-sha256', 'shopify-hmac-sha256', 'x-wc-webhook-signature'));
