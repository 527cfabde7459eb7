-- 0007: speed at national scale (issue 14).
--
-- The data version: one number that every change the computed figures depend on moves, in the same
-- transaction as the change (triggers, so no write path can forget it, the upload worker's connection
-- included). The server keeps computed statements, attainment and the overview against the version they
-- were computed at (server/services/figures-cache.ts); a different number means recompute. Kept in the
-- database, it survives restarts and is shared by every process using the file. An accepted upload moves it
-- through submission_periods (one row per period per accepted file, so not per observation: a national
-- upload fires it a dozen times, not 1.7 million); a sign-off or reopen through sign_offs; rules, contract
-- values, memberships, names and list sizes through their own tables.
CREATE TABLE data_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER submission_periods_data_version_insert AFTER INSERT ON submission_periods
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER sign_offs_data_version_insert AFTER INSERT ON sign_offs
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER sign_offs_data_version_update AFTER UPDATE ON sign_offs
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_years_data_version_insert AFTER INSERT ON contract_years
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_years_data_version_update AFTER UPDATE ON contract_years
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_years_data_version_delete AFTER DELETE ON contract_years
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_year_domains_data_version_insert AFTER INSERT ON contract_year_domains
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_year_domains_data_version_update AFTER UPDATE ON contract_year_domains
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_year_domains_data_version_delete AFTER DELETE ON contract_year_domains
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_data_version_insert AFTER INSERT ON indicators
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_data_version_update AFTER UPDATE ON indicators
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_data_version_delete AFTER DELETE ON indicators
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_values_data_version_insert AFTER INSERT ON contract_values
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_values_data_version_update AFTER UPDATE ON contract_values
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER contract_values_data_version_delete AFTER DELETE ON contract_values
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_data_version_insert AFTER INSERT ON memberships
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_data_version_update AFTER UPDATE ON memberships
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_data_version_delete AFTER DELETE ON memberships
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER networks_data_version_insert AFTER INSERT ON networks
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER networks_data_version_update AFTER UPDATE ON networks
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER networks_data_version_delete AFTER DELETE ON networks
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_data_version_insert AFTER INSERT ON practices
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_data_version_update AFTER UPDATE ON practices
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_data_version_delete AFTER DELETE ON practices
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER list_sizes_data_version_insert AFTER INSERT ON list_sizes
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER list_sizes_data_version_update AFTER UPDATE ON list_sizes
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER list_sizes_data_version_delete AFTER DELETE ON list_sizes
  BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
