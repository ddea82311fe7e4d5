-- The store's tables at schema version 2 (syndicate 8023cb5), as PostgreSQL DDL
-- (SQLAlchemy's CREATE statements for that commit's schema.py, postgresql dialect).
CREATE TABLE authors (
	id SERIAL NOT NULL, 
	slug VARCHAR(200) NOT NULL, 
	name TEXT NOT NULL, 
	credentials TEXT, 
	article_count INTEGER, 
	url TEXT, 
	image_url TEXT, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (slug)
);

CREATE TABLE digest_issues (
	id SERIAL NOT NULL, 
	newsletter VARCHAR(200) NOT NULL, 
	number INTEGER NOT NULL, 
	cutoff TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	column_urls TEXT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	queued BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_issue_number UNIQUE (newsletter, number)
);

CREATE TABLE feed_state (
	path TEXT NOT NULL, 
	digest VARCHAR(64) NOT NULL, 
	written_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (path)
);

CREATE TABLE fetch_cache (
	url TEXT NOT NULL, 
	etag TEXT, 
	last_modified TEXT, 
	fetched_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	status INTEGER NOT NULL, 
	memo TEXT, 
	PRIMARY KEY (url)
);

CREATE TABLE job_runs (
	id SERIAL NOT NULL, 
	job VARCHAR(200) NOT NULL, 
	started_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	finished_at TIMESTAMP WITHOUT TIME ZONE, 
	outcome VARCHAR(20) NOT NULL, 
	counts TEXT NOT NULL, 
	error TEXT, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_job_runs_job_started ON job_runs (job, started_at);

CREATE TABLE newsletter_state (
	newsletter VARCHAR(200) NOT NULL, 
	cutoff TIMESTAMP WITHOUT TIME ZONE, 
	last_issue_number INTEGER NOT NULL, 
	PRIMARY KEY (newsletter)
);

CREATE TABLE schema_version (
	version INTEGER NOT NULL
);

CREATE TABLE sources (
	id SERIAL NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE subscribers (
	id SERIAL NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	newsletter VARCHAR(200) NOT NULL, 
	name TEXT, 
	cadence VARCHAR(10) NOT NULL, 
	followed_authors TEXT NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	bounces INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	confirmed_at TIMESTAMP WITHOUT TIME ZONE, 
	confirmation_sent_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_subscriber_newsletter UNIQUE (email, newsletter)
);

CREATE TABLE columns (
	id SERIAL NOT NULL, 
	url TEXT NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	author_id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	body_html TEXT NOT NULL, 
	excerpt TEXT NOT NULL, 
	published TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	image_url TEXT, 
	categories TEXT NOT NULL, 
	language VARCHAR(20) NOT NULL, 
	views INTEGER, 
	views_at TIMESTAMP WITHOUT TIME ZONE, 
	collected_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	future_dated BOOLEAN NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	dedupe_key TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (url), 
	FOREIGN KEY(author_id) REFERENCES authors (id)
);

CREATE INDEX ix_columns_author ON columns (author_id);

CREATE INDEX ix_columns_collected_at ON columns (collected_at);

CREATE INDEX ix_columns_dedupe ON columns (dedupe_key);

CREATE INDEX ix_columns_published ON columns (published);

CREATE TABLE deliveries (
	issue_id INTEGER NOT NULL, 
	subscriber_id INTEGER NOT NULL, 
	state VARCHAR(10) NOT NULL, 
	attempts INTEGER NOT NULL, 
	message_id TEXT NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	error TEXT, 
	PRIMARY KEY (issue_id, subscriber_id), 
	FOREIGN KEY(issue_id) REFERENCES digest_issues (id), 
	FOREIGN KEY(subscriber_id) REFERENCES subscribers (id)
);

CREATE INDEX ix_deliveries_state ON deliveries (issue_id, state);

CREATE TABLE column_urls (
	url TEXT NOT NULL, 
	column_id INTEGER NOT NULL, 
	PRIMARY KEY (url), 
	FOREIGN KEY(column_id) REFERENCES columns (id)
);

CREATE TABLE view_snapshots (
	id SERIAL NOT NULL, 
	column_id INTEGER NOT NULL, 
	at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	views INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(column_id) REFERENCES columns (id)
);

CREATE INDEX ix_view_snapshots_column_at ON view_snapshots (column_id, at);
