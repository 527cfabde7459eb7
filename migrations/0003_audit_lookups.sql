-- 0003: indexes for counting recent failed sign-ins (rate limiting) and filtering the audit log.
CREATE INDEX audit_log_action_user ON audit_log (action, username, at);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, at);
