
app_name = "rectification"

urlpatterns: list = []
