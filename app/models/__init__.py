"""The local store (DESIGN §8): SQLAlchemy 2 typed models, Alembic migrations, opening and locking."""
