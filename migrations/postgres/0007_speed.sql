-- 0007 (PostgreSQL): speed at national scale (issue 14), as migrations/0007_speed.sql: the data version
-- moved by a trigger on each table the computed figures depend on (statement-level here: one bump per
-- statement rather than per row; the names match SQLite's row-level triggers).
CREATE TABLE data_version (
  id       bigint PRIMARY KEY CHECK (id = 1),
  version  bigint NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER submission_periods_data_version_insert AFTER INSERT ON submission_periods
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER sign_offs_data_version_insert AFTER INSERT ON sign_offs
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER sign_offs_data_version_update AFTER UPDATE ON sign_offs
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_years_data_version_insert AFTER INSERT ON contract_years
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_years_data_version_update AFTER UPDATE ON contract_years
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_years_data_version_delete AFTER DELETE ON contract_years
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_year_domains_data_version_insert AFTER INSERT ON contract_year_domains
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_year_domains_data_version_update AFTER UPDATE ON contract_year_domains
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_year_domains_data_version_delete AFTER DELETE ON contract_year_domains
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER indicators_data_version_insert AFTER INSERT ON indicators
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER indicators_data_version_update AFTER UPDATE ON indicators
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER indicators_data_version_delete AFTER DELETE ON indicators
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_values_data_version_insert AFTER INSERT ON contract_values
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_values_data_version_update AFTER UPDATE ON contract_values
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER contract_values_data_version_delete AFTER DELETE ON contract_values
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER memberships_data_version_insert AFTER INSERT ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER memberships_data_version_update AFTER UPDATE ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER memberships_data_version_delete AFTER DELETE ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER networks_data_version_insert AFTER INSERT ON networks
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER networks_data_version_update AFTER UPDATE ON networks
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER networks_data_version_delete AFTER DELETE ON networks
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER practices_data_version_insert AFTER INSERT ON practices
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER practices_data_version_update AFTER UPDATE ON practices
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER practices_data_version_delete AFTER DELETE ON practices
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER list_sizes_data_version_insert AFTER INSERT ON list_sizes
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER list_sizes_data_version_update AFTER UPDATE ON list_sizes
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
CREATE TRIGGER list_sizes_data_version_delete AFTER DELETE ON list_sizes
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();
