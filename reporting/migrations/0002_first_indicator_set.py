from django.db import migrations


def seed(apps, schema_editor):
    from reporting.indicators import first_set  # the definition lives with the app, not here

    IndicatorSet = apps.get_model("reporting", "IndicatorSet")
    Indicator = apps.get_model("reporting", "Indicator")
    indicator_set, created = IndicatorSet.objects.get_or_create(
        version=1, defaults={"label": "EU data collection on trafficking in human beings"}
    )
    if created:
        Indicator.objects.bulk_create(
            Indicator(
                indicator_set=indicator_set,
                position=position,
                code=spec.code,
                label=spec.label,
                group=spec.group,
                kind=spec.kind,
                total_code=spec.total_code,
                breakdown=spec.breakdown,
                help_text=spec.help_text,
            )
            for position, spec in enumerate(first_set(), start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
