-- How a request by a user enters a tenant on PostgreSQL (see db/transactions.ts): their role is read
-- with the connection's own rights, then the transaction-local settings are made — the tenant for
-- row-level security (named only when the role is one of `admitted`; otherwise a tenant nobody has,
-- so every tenant table reads empty), the non-owner role, and no parallel workers. It returns the
-- role, or null for a stranger. As a function its membership lookup runs from a plan PL/pgSQL keeps
-- for the session; sent as a statement of its own, it was planned afresh on every request.
-- No SET clause: it would undo the settings when the function returns.
CREATE OR REPLACE FUNCTION enter_tenant(tenant uuid, member uuid, admitted text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  member_role text;
BEGIN
  SELECT m.role::text INTO member_role FROM memberships m WHERE m.tenant_id = tenant AND m.user_id = member;
  PERFORM set_config('app.tenant_id',
                     CASE WHEN member_role = ANY (admitted) THEN tenant::text ELSE '00000000-0000-0000-0000-000000000000' END,
                     true),
          set_config('role', 'optarget_app', true),
          set_config('max_parallel_workers_per_gather', '0', true);
  RETURN member_role;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION enter_tenant(uuid, uuid, text[]) FROM PUBLIC;
