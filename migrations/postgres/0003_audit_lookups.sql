-- 0003 (PostgreSQL): indexes for counting recent failed sign-ins (rate limiting) and filtering the audit log,
-- as migrations/0003_audit_lookups.sql.
CREATE INDEX audit_log_action_user ON audit_log (action, username, at);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, at);
