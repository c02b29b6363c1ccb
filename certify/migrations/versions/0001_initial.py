"""initial schema: network, framework, training, assessments, programmes, certificates, audit

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 17:02:26.429908
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("proficiency_threshold", sa.Integer(), nullable=False),
        sa.Column("assessment_validity_months", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "assessment_validity_months IS NULL OR assessment_validity_months > 0",
            name=op.f("ck_framework_assessment_validity_positive"),
        ),
        sa.CheckConstraint(
            "proficiency_threshold >= 0", name=op.f("ck_framework_threshold_non_negative")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_framework_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_framework_code_version")),
    )
    op.create_table(
        "module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("refresh_months", sa.Integer(), nullable=True),
        sa.Column("min_attendance_percent", sa.Integer(), server_default="80", nullable=False),
        sa.CheckConstraint("hours > 0", name=op.f("ck_module_hours_positive")),
        sa.CheckConstraint(
            "min_attendance_percent > 0 AND min_attendance_percent <= 100",
            name=op.f("ck_module_attendance_share"),
        ),
        sa.CheckConstraint(
            "refresh_months IS NULL OR refresh_months > 0", name=op.f("ck_module_refresh_positive")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module")),
        sa.UniqueConstraint("code", name=op.f("uq_module_code")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
        sa.UniqueConstraint("country", "name", name=op.f("uq_region_country_name")),
    )
    op.create_table(
        "domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_domain_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_domain_framework_id_code")),
    )
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=False),
        sa.Column("recert_window_months", sa.Integer(), nullable=False),
        sa.Column("recertification_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "recert_window_months >= 0 AND recert_window_months < validity_months",
            name=op.f("ck_programme_window_within_validity"),
        ),
        sa.CheckConstraint("validity_months > 0", name=op.f("ck_programme_validity_positive")),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["framework.id"], name=op.f("fk_programme_framework_id_framework")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "scale_level",
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label_fr", sa.String(length=80), nullable=False),
        sa.Column("label_en", sa.String(length=80), nullable=False),
        sa.CheckConstraint("level >= 0", name=op.f("ck_scale_level_level_non_negative")),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_scale_level_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("framework_id", "level", name=op.f("pk_scale_level")),
    )
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "cite_des_metiers",
                "centre_associe",
                "point_relais",
                name="sitekind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "(kind = 'cite_des_metiers' AND parent_id IS NULL) OR (kind <> 'cite_des_metiers' AND parent_id IS NOT NULL)",
            name=op.f("ck_site_parent_matches_kind"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["site.id"], name=op.f("fk_site_parent_id_site")),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_site_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("code", name=op.f("uq_site_code")),
    )
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_region_id"), ["region_id"], unique=False)

    op.create_table(
        "competency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label_fr", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"], ["domain.id"], name=op.f("fk_competency_domain_id_domain")
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_competency_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_competency_framework_id_code")),
        sa.UniqueConstraint("id", "framework_id", name=op.f("uq_competency_id_framework_id")),
    )
    with op.batch_alter_table("competency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competency_domain_id"), ["domain_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("given_name", sa.String(length=120), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("active_until", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "active_until IS NULL OR active_until >= active_from",
            name=op.f("ck_person_active_period"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["organisation.id"], name=op.f("fk_person_employer_id_organisation")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_person_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("email", name=op.f("uq_person_email")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_site_id"), ["site_id"], unique=False)

    op.create_table(
        "programme_module",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["module.id"], name=op.f("fk_programme_module_module_id_module")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_module_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "module_id", name=op.f("pk_programme_module")),
    )
    op.create_table(
        "programme_prerequisite",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite_id", sa.Integer(), nullable=False),
        sa.Column("min_held_months", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_held_months >= 0", name=op.f("ck_programme_prerequisite_held_non_negative")
        ),
        sa.CheckConstraint(
            "programme_id <> prerequisite_id", name=op.f("ck_programme_prerequisite_not_itself")
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_id"],
            ["programme.id"],
            name=op.f("fk_programme_prerequisite_prerequisite_id_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_prerequisite_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "prerequisite_id", name=op.f("pk_programme_prerequisite")
        ),
    )
    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_training_session_dates_ordered")),
        sa.ForeignKeyConstraint(
            ["module_id"], ["module.id"], name=op.f("fk_training_session_module_id_module")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_training_session_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
    )
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_session_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_training_session_site_id"), ["site_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_training_session_starts_on"), ["starts_on"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "observation",
                "mise_en_situation",
                "entretien",
                "quiz",
                "portfolio",
                name="assessmentmethod",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.String(length=500), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "assessor_id <> person_id", name=op.f("ck_assessment_not_self_assessed")
        ),
        sa.CheckConstraint(
            "supersedes_id IS NULL OR correction_reason IS NOT NULL",
            name=op.f("ck_assessment_correction_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["person.id"], name=op.f("fk_assessment_assessor_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["competency_id", "framework_id"],
            ["competency.id", "competency.framework_id"],
            name=op.f("fk_assessment_competency_id_competency"),
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "level"],
            ["scale_level.framework_id", "scale_level.level"],
            name=op.f("fk_assessment_framework_id_scale_level"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_assessment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_assessment_session_id_training_session"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_supersedes_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_assessment_supersedes_id")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_competency_id"), ["competency_id"], unique=False
        )
        batch_op.create_index(
            "ix_assessment_person_competency",
            ["person_id", "competency_id", "assessed_on"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_assessment_session_id"), ["session_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("hours_present", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.CheckConstraint("hours_present >= 0", name=op.f("ck_attendance_hours_non_negative")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_attendance_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_attendance_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "person_id", name=op.f("pk_attendance")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_person_id"), ["person_id"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=80), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_audit_event_actor_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "issued",
                "revoked",
                "superseded",
                name="certificatestate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revocation_reason", sa.String(length=500), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.Column(
            "snapshot",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'revoked') = (revoked_on IS NOT NULL AND revocation_reason IS NOT NULL)",
            name=op.f("ck_certificate_revocation_complete"),
        ),
        sa.CheckConstraint(
            "valid_until > valid_from", name=op.f("ck_certificate_validity_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["person.id"], name=op.f("fk_certificate_issued_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_certificate_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_certificate_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_supersedes_id_certificate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificate_serial")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_certificate_supersedes_id")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_certificate_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certificate_valid_until"), ["valid_until"], unique=False
        )
        batch_op.create_index(
            "uq_certificate_current",
            ["person_id", "programme_id", "valid_from"],
            unique=True,
            sqlite_where=sa.text("state = 'issued'"),
            postgresql_where=sa.text("state = 'issued'"),
        )

    op.create_table(
        "competency_service_level",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column(
            "service_level",
            sa.Enum(
                "accueil",
                "conseil",
                "accompagnement",
                "formation",
                name="servicelevel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_competency_service_level_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "competency_id", "service_level", name=op.f("pk_competency_service_level")
        ),
    )
    op.create_table(
        "module_competency",
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_module_competency_competency_id_competency"),
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
            name=op.f("fk_module_competency_module_id_module"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("module_id", "competency_id", name=op.f("pk_module_competency")),
    )
    op.create_table(
        "person_role",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "reception",
                "counsellor",
                "trainer",
                "coordinator",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_role_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "role", name=op.f("pk_person_role")),
    )
    op.create_table(
        "programme_competency",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id", "framework_id"],
            ["competency.id", "competency.framework_id"],
            name=op.f("fk_programme_competency_competency_id_competency"),
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "min_level"],
            ["scale_level.framework_id", "scale_level.level"],
            name=op.f("fk_programme_competency_framework_id_scale_level"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_competency_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "competency_id", name=op.f("pk_programme_competency")
        ),
    )
    op.create_table(
        "session_trainer",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_session_trainer_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_session_trainer_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "person_id", name=op.f("pk_session_trainer")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("session_trainer")
    op.drop_table("programme_competency")
    op.drop_table("person_role")
    op.drop_table("module_competency")
    op.drop_table("competency_service_level")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_certificate_current",
            sqlite_where=sa.text("state = 'issued'"),
            postgresql_where=sa.text("state = 'issued'"),
        )
        batch_op.drop_index(batch_op.f("ix_certificate_valid_until"))
        batch_op.drop_index(batch_op.f("ix_certificate_programme_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_person_id"))

    op.drop_table("certificate")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_person_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_session_id"))
        batch_op.drop_index("ix_assessment_person_competency")
        batch_op.drop_index(batch_op.f("ix_assessment_competency_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_assessor_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_session_starts_on"))
        batch_op.drop_index(batch_op.f("ix_training_session_site_id"))
        batch_op.drop_index(batch_op.f("ix_training_session_module_id"))

    op.drop_table("training_session")
    op.drop_table("programme_prerequisite")
    op.drop_table("programme_module")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_site_id"))
        batch_op.drop_index(batch_op.f("ix_person_employer_id"))

    op.drop_table("person")
    with op.batch_alter_table("competency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competency_domain_id"))

    op.drop_table("competency")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_region_id"))

    op.drop_table("site")
    op.drop_table("scale_level")
    op.drop_table("programme")
    op.drop_table("domain")
    op.drop_table("region")
    op.drop_table("organisation")
    op.drop_table("module")
    op.drop_table("framework")
